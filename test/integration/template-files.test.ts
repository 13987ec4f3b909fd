// Template loading errors: each names the template file and says what is wrong.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEmailTemplates, loadIssueTemplates } from '../../src/adapters/template-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-templates-'));
  await cp('templates', dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function edit(rel: string, change: (s: string) => string): Promise<void> {
  const path = join(dir, rel);
  await writeFile(path, change(await readFile(path, 'utf8')));
}

describe('loading templates', () => {
  it('loads the shipped templates from a copy', async () => {
    const t = await loadIssueTemplates(dir);
    expect(t.files.html).toMatch(/emails\/issue\/html\.mjml\.hbs$/);
  });

  it('names the file on bad Handlebars syntax', async () => {
    await edit('emails/issue/text.hbs', (s) => `${s}\n{{#each sections}}\n`);
    await expect(loadIssueTemplates(dir)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/emails\/issue\/text\.hbs.*(Parse error|each)/s) });
  });

  it('names the partial on bad syntax in a partial', async () => {
    await edit('partials/paper-card.mjml.hbs', (s) => s.replace('{{/if}}', '{{/unless}}'));
    await expect(loadIssueTemplates(dir)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringContaining('partials/paper-card.mjml.hbs') });
  });

  it('reports MJML strict errors with the generated line', async () => {
    await edit('emails/issue/html.mjml.hbs', (s) => s.replace('<mj-column>', '<mj-column><mj-bogus>x</mj-bogus>'));
    const err = await loadIssueTemplates(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TEMPLATE_INVALID' });
    expect((err as Error).message).toMatch(/html\.mjml\.hbs does not compile as MJML \(strict\)[\s\S]*mj-bogus[\s\S]*generated line \d+/);
  });

  it('reports an unknown helper, an unknown slot and a missing file', async () => {
    await edit('emails/issue/subject.hbs', (s) => s.replace('{{lead.title}}', '{{pluralise lead.title}}'));
    await expect(loadIssueTemplates(dir)).rejects.toMatchObject({ message: expect.stringMatching(/subject\.hbs.*pluralise/s) });
    await cp('templates/emails/issue/subject.hbs', join(dir, 'emails/issue/subject.hbs'));
    await edit('partials/footer.text.hbs', (s) => s.replace('{{slot "email"}}', '{{slot "emial"}}'));
    await expect(loadIssueTemplates(dir)).rejects.toMatchObject({ message: expect.stringMatching(/text\.hbs.*unknown slot "emial"/s) });
    await rm(join(dir, 'emails/confirm/text.hbs'));
    await expect(loadEmailTemplates(dir, 'confirm')).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/emails\/confirm\/text\.hbs cannot be read/) });
  });

  it('refuses raw output in an HTML template', async () => {
    await edit('partials/paper-card.mjml.hbs', (s) => s.replace('{{title}}', '{{{title}}}'));
    await expect(loadIssueTemplates(dir)).rejects.toMatchObject({ message: expect.stringMatching(/paper-card\.mjml\.hbs.*raw output/s) });
  });

  it('refuses head CSS over 16 KB', async () => {
    await edit('partials/head.mjml.hbs', (s) => s.replace('</mj-style>', `${'.x{color:red}'.repeat(1400)}</mj-style>`));
    await expect(loadIssueTemplates(dir)).rejects.toMatchObject({ message: expect.stringMatching(/head CSS is \d+ bytes/) });
  });
});
