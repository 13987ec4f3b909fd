// parseConfig: every bad setting is refused with a message that names it (by its variable, flag or
// config key) and says what a good value looks like.
import { describe, expect, it } from 'vitest';
import { parseConfig, publicationFor } from './config.js';
import { PaperboyError } from './errors.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PaperboyError);
    expect((e as PaperboyError).code).toBe('CONFIG_INVALID');
    return (e as PaperboyError).message;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('parseConfig', () => {
  it('applies defaults, and env wins over the file, flags over both', () => {
    const c = parseConfig({ port: 9000, smtp: { connections: 2 } }, { PAPERBOY_PORT: '9100' }, {});
    expect(c.port).toBe(9100);
    expect(c.smtp.connections).toBe(2);
    expect(c.stateDir).toBe('./state');
    expect(parseConfig({}, { PAPERBOY_PORT: '9100' }, { port: 9200 }).port).toBe(9200);
  });

  it('says what a number or a yes/no setting should look like', () => {
    expect(messageOf(() => parseConfig({}, { PAPERBOY_PORT: 'abc' }))).toContain('port (PAPERBOY_PORT): must be a port number from 0 to 65535');
    expect(messageOf(() => parseConfig({}, { PAPERBOY_SMTP_CONNECTIONS: '0' }))).toContain(
      'smtp.connections (PAPERBOY_SMTP_CONNECTIONS): must be a whole number above 0',
    );
    expect(messageOf(() => parseConfig({}, { PAPERBOY_RATE_LIMIT: '-1' }))).toContain('must be a whole number, 0 or more');
    expect(messageOf(() => parseConfig({}, { PAPERBOY_SKIP_SENT_PAPERS: 'maybe' }))).toContain(
      'skipSentPapers (PAPERBOY_SKIP_SENT_PAPERS): must be true or false',
    );
  });

  it('names the flag, not the variable, when the bad value came from a flag', () => {
    const m = messageOf(() => parseConfig({}, {}, { port: 'abc' }));
    expect(m).toContain('port (--port)');
    expect(m).not.toContain('PAPERBOY_PORT');
  });

  it('refuses a From without an email address', () => {
    expect(messageOf(() => parseConfig({}, { PAPERBOY_FROM: 'bad' }))).toContain('from (PAPERBOY_FROM): must be an email address');
    expect(parseConfig({}, { PAPERBOY_FROM: 'Paper digest <papers@example.org>' }).from).toBe('Paper digest <papers@example.org>');
    expect(parseConfig({}, { PAPERBOY_FROM: 'papers@example.org' }).from).toBe('papers@example.org');
  });

  it('refuses unknown keys in the config file (a typo would otherwise be ignored silently)', () => {
    const m = messageOf(() => parseConfig({ smtpURL: 'smtp://u:p@host' }, {}));
    expect(m).toContain('unknown setting "smtpURL"');
    expect(messageOf(() => parseConfig({ smtp: { conections: 3 } }, {}))).toContain('unknown setting "smtp.conections"');
  });

  it('refuses the built-in From when mail goes to a real SMTP server, saying what to set', () => {
    const msg = messageOf(() => parseConfig({}, { PAPERBOY_SMTP_URL: 'smtp://u:p@mail.example.org:587' }));
    expect(msg).toMatch(/from \(PAPERBOY_FROM\): is still the built-in paperboy@localhost/);
    expect(msg).toContain('Set PAPERBOY_FROM');
    // The outbox (no SMTP) is fine with it, and so is a real server with a real From.
    expect(parseConfig({}, {}).from).toBe('paperboy <paperboy@localhost>');
    expect(parseConfig({}, { PAPERBOY_SMTP_URL: 'smtp://u:p@mail.example.org:587', PAPERBOY_FROM: 'Papers <papers@example.org>' }).from).toBe('Papers <papers@example.org>');
  });

  it('takes the publication, its contact line and a Reply-To; refuses the papers-per-topic cap that is gone', () => {
    const c = parseConfig({ publication: 'Paper Digest', postalAddress: '1 Example Street, Example Town' }, { PAPERBOY_REPLY_TO: 'editors@example.org' });
    expect(c).toMatchObject({ publication: 'Paper Digest', postalAddress: '1 Example Street, Example Town', replyTo: 'editors@example.org' });
    expect(publicationFor(c)).toEqual({ name: 'Paper Digest', contact: '1 Example Street, Example Town' });
    expect(publicationFor(parseConfig({ from: 'Trending Papers <p@example.org>' }, {}))).toEqual({ name: 'Trending Papers' });
    expect(publicationFor(parseConfig({}, {}))).toEqual({ name: 'paperboy' });
    expect(messageOf(() => parseConfig({}, { PAPERBOY_REPLY_TO: 'nobody' }))).toMatch(/replyTo \(PAPERBOY_REPLY_TO\): must be an email address/);
    expect(messageOf(() => parseConfig({ render: { maxPapersPerTopic: 6 } }, {}))).toMatch(/render\.maxPapersPerTopic .*is no longer used.*render\.maxHtmlBytes/);
  });
});

describe('the README "Getting papers" config', () => {
  it('parses: Hugging Face trending and two arXiv categories, sent at 07:00', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Getting papers'));
    const json = /```json\n([\s\S]*?)```/.exec(section)![1]!;
    const c = parseConfig(JSON.parse(json), {});
    expect(c).toMatchObject({ sources: ['hf-trending', 'arxiv'], schedule: '0 7 * * *', fetch: { arxivCategories: ['cs.CL', 'cs.LG'], contact: 'you@example.org' } });
  });

  it('names the variable of a bad source or category', () => {
    expect(() => parseConfig({}, { PAPERBOY_SOURCES: 'hf-daily,hackernews' })).toThrow(/sources\[1\] \(PAPERBOY_SOURCES\): "hackernews" is not a source: use hf-daily, hf-trending, arxiv/);
    expect(() => parseConfig({}, { PAPERBOY_SOURCES: 'arxiv', PAPERBOY_ARXIV_CATEGORIES: 'computers' })).not.toThrow();
    expect(() => parseConfig({}, { PAPERBOY_SOURCES: 'arxiv', PAPERBOY_ARXIV_CATEGORIES: 'cs CL!' })).toThrow(/fetch\.arxivCategories\[1\] \(PAPERBOY_ARXIV_CATEGORIES\): must be arXiv categories such as cs\.CL,cs\.LG/);
  });
});
