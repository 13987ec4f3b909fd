// What a subscriber receives, checked on the wire: a real SMTP server, messages parsed by mailparser.
import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeFactory, spliceFactory } from '../../src/adapters/message-factory.js';
import type { Subscriber } from '../../src/domain/subscriber.js';
import { messageIdFor } from '../../src/domain/message-ids.js';
import { verifyToken } from '../../src/domain/tokens.js';
import { loadIssueTemplates } from '../../src/adapters/template-files.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';
import Handlebars from 'handlebars';
import { renderVariant, texToUnicode } from '../../src/domain/render/index.js';
import { fieldsFor } from '../../src/services/send-common.js';
import { makeSendFixture, REPO, SAMPLE_DIGEST, subscriber, type SendFixture } from '../helpers/send-fixture.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';

/** Unfolded header lines of a raw message, by lower-case name. */
function headers(raw: Buffer | string): Map<string, string[]> {
  const s = raw.toString();
  const block = s.slice(0, s.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const out = new Map<string, string[]>();
  for (const line of block.split('\r\n')) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).toLowerCase();
    out.set(name, [...(out.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  return out;
}
const one = (raw: Buffer | string, name: string) => headers(raw).get(name.toLowerCase())?.[0];
const toOf = (m: SinkMessage) => (m.parsed.to as AddressObject).value[0]!;

let sink: SmtpSink;
let fx: SendFixture;
beforeEach(async () => {
  sink = await startSmtpSink();
});
afterEach(async () => {
  await fx?.close();
  await sink.close();
});

describe('issue messages on the wire', () => {
  it('one multipart/alternative message per recipient with unique subject, list headers and a stable Message-ID', async () => {
    fx = await makeSendFixture({
      smtpUrl: sink.url,
      subscribers: [
        subscriber('ada@example.org', { name: 'Ada Lovelace' }),
        subscriber('erwin@example.org', { name: 'Erwin Schrödinger 🐈', topics: ['language', 'vision'] }),
        subscriber('gone@example.org', { status: 'unsubscribed' }),
      ],
    });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 2, failed: 0, skipped: { inactive: 1 } });
    expect(sink.messages).toHaveLength(2);
    expect(sink.received('gone@example.org')).toHaveLength(0);

    const [ada] = sink.received('ada@example.org');
    const [erwin] = sink.received('erwin@example.org');
    for (const [m, email] of [
      [ada!, 'ada@example.org'],
      [erwin!, 'erwin@example.org'],
    ] as const) {
      expect(m.to).toEqual([email]);
      expect(m.from).toBe('papers@example.org');
      expect(one(m.raw, 'Content-Type')).toMatch(/^multipart\/alternative;/);
      expect(m.parsed.text).toBeTruthy();
      expect(m.parsed.html).toBeTruthy();
      expect(m.messageId).toBe(messageIdFor(report.issueId, email, fx.config.from));
      expect(one(m.raw, 'List-Id')).toBe('paperboy <paperboy.example.org>');
      expect(one(m.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const unsub = one(m.raw, 'List-Unsubscribe')!;
      const match = /^<https:\/\/papers\.example\.org\/unsubscribe\/([A-Za-z0-9_.-]+)>$/.exec(unsub);
      expect(match, unsub).not.toBeNull();
      expect(verifyToken(fx.app.secret, match![1]!, 'unsubscribe', new Date())?.email).toBe(email);
      // The same link is in both parts, so "unsubscribe" in the body and in the client agree.
      expect(m.parsed.text).toContain(unsub.slice(1, -1));
      expect(m.parsed.subject).toMatch(/ · 14 Mar$/);
    }
    expect(ada!.parsed.subject).toBe(report.subject);
    expect(toOf(ada!).name).toBe('Ada Lovelace');
    expect(ada!.parsed.text).toContain('Hi Ada Lovelace,');
  });

  it('gives a subscriber of two topics only those sections, in both parts', async () => {
    fx = await makeSendFixture({
      smtpUrl: sink.url,
      subscribers: [subscriber('all@example.org'), subscriber('two@example.org', { topics: ['language', 'vision'] })],
    });
    await fx.app.sendIssue(SAMPLE_DIGEST);
    const all = sink.received('all@example.org')[0]!;
    const two = sink.received('two@example.org')[0]!;
    for (const part of [two.parsed.text!, two.parsed.html as string]) {
      expect(part).toContain('Attention Is All You Need'); // language
      expect(part).toContain('Segment Anything'); // vision
      expect(part).not.toContain('Proximal Policy Optimization'); // agents
      expect(part).not.toContain('Denoising Diffusion'); // generative
    }
    expect(all.parsed.text).toContain('Proximal Policy Optimization');
    expect(all.parsed.html).toContain('Denoising Diffusion');
    expect(two.parsed.subject).not.toBe(all.parsed.subject);
  });

  it('says which chosen topics the taxonomy lacks; those subscribers get their other topics', async () => {
    fx = await makeSendFixture({
      smtpUrl: sink.url,
      subscribers: [subscriber('mixed@example.org', { topics: ['language', 'theory'] }), subscriber('gone@example.org', { topics: ['theory'] })],
    });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ sent: 1 });
    expect(sink.received('mixed@example.org')[0]!.parsed.text).toContain('Attention Is All You Need');
    expect(sink.received('gone@example.org')).toHaveLength(0);
    expect(fx.logs.join('\n')).toMatch(/subscribers chose topics the taxonomy does not have: "theory" \(2 subscribers\)\. They get only their other topics/);
  });

  it('carries a Schrödinger-and-emoji name and paper title through intact', async () => {
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: [subscriber('erwin@example.org', { name: 'Erwin Schrödinger 🐈‍⬛' })] });
    const digest = join(fx.dir, 'cats.json');
    const title = 'Schrödinger’s 🐈 in superposition: “naïve” quantum cats';
    await writeFile(
      digest,
      JSON.stringify({
        date: '2026-04-01',
        papers: [{ id: '2604.00001', title, abstract: 'Ein Kätzchen 😺 ist zugleich wach und schläft — ça marche.', authors: ['Zoë Ørsted'], keywords: [], categories: ['quant-ph'] }],
      }),
    );
    await fx.app.sendIssue(digest);
    const m = sink.received('erwin@example.org')[0]!;
    expect(toOf(m).name).toBe('Erwin Schrödinger 🐈‍⬛');
    expect(m.parsed.text).toContain('Hi Erwin Schrödinger 🐈‍⬛,');
    expect(m.parsed.text).toContain(title);
    expect(m.parsed.text).toContain('Ein Kätzchen 😺 ist zugleich wach und schläft — ça marche.');
    expect(m.parsed.html).toContain('Schrödinger’s 🐈 in superposition');
    expect(m.parsed.html).toContain('Zoë Ørsted');
    // The raw message is 7-bit: every non-ASCII byte is encoded.
    expect(/[^\x00-\x7f]/.test(m.raw.toString('latin1'))).toBe(false);
  });

  it('a CR/LF in a name cannot add a header, with either message factory', async () => {
    const evil = 'Eve\r\nBcc: victim@example.org\r\nX-Injected: yes';
    // The stored list refuses such a name (domain/names.ts); this is the fence behind it, for a name
    // that reached the database some other way (written here straight to the row, unchecked).
    const eve = { hardBounces: 0, consent: {}, tokenVersion: 0, ...subscriber('eve@example.org', { name: evil }) } as Subscriber;
    for (const factory of [spliceFactory, composeFactory]) {
      const s = await startSmtpSink();
      const f = await makeSendFixture({ smtpUrl: s.url, subscribers: [], overrides: { factory } });
      await f.app.store.changeSubscriber(eve.email, () => ({ next: eve, result: undefined }));
      try {
        await f.app.sendIssue(SAMPLE_DIGEST);
        const m = s.received('eve@example.org')[0]!;
        const h = headers(m.raw);
        expect(h.has('bcc')).toBe(false);
        expect(h.has('x-injected')).toBe(false);
        expect(m.parsed.headers.has('bcc')).toBe(false);
        expect(m.to).toEqual(['eve@example.org']);
        expect(toOf(m).name).toBe('Eve Bcc: victim@example.org X-Injected: yes');
        expect(s.messages).toHaveLength(1);
      } finally {
        await f.close();
        await s.close();
      }
    }
  });

  it('splices exactly the message MailComposer would build', async () => {
    fx = await makeSendFixture({ subscribers: [] });
    const [templates, taxonomy] = await Promise.all([loadIssueTemplates(join(REPO, 'templates')), loadTaxonomy(join(REPO, 'templates/topics.json'))]);
    const issue = { ...groupByTopic(await readDigestFile(SAMPLE_DIGEST, new Date()), taxonomy), id: '2026-03-14-test0001' };
    const variant = (await renderVariant(issue, templates, { topics: ['language', 'security'], limits: fx.config.render, baseUrl: fx.config.baseUrl }))!;
    const settings = { from: fx.config.from, listId: 'paperboy <paperboy.example.org>', date: new Date('2026-03-14T07:00:00Z'), replyTo: 'Rédaction <editors@example.org>' };
    const sub = { email: 'zoë@example.org', name: 'Zoë "Z" <Ørsted> & Co', tokenVersion: 3 };
    const r = { email: sub.email, name: sub.name, messageId: messageIdFor(issue.id, sub.email, fx.config.from), fields: fieldsFor(fx.app, sub, issue.id) };
    const [spliced, composed] = await Promise.all([
      spliceFactory.buildMessage(spliceFactory.prepareVariant(variant, settings), r),
      composeFactory.buildMessage(composeFactory.prepareVariant(variant, settings), r),
    ]);
    const [a, b] = await Promise.all([simpleParser(spliced.raw), simpleParser(composed.raw)]);
    expect(a.subject).toBe(b.subject);
    expect(a.text).toBe(b.text);
    expect(a.html).toBe(b.html);
    expect(a.messageId).toBe(b.messageId);
    expect((a.to as AddressObject).value).toEqual((b.to as AddressObject).value);
    expect((a.replyTo as AddressObject).value).toEqual([{ name: 'Rédaction', address: 'editors@example.org' }]);
    expect((b.replyTo as AddressObject).value).toEqual((a.replyTo as AddressObject).value);
    for (const name of ['List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Id']) expect(one(spliced.raw, name)).toBe(one(composed.raw, name));
    expect(a.html).toContain('Zoë &quot;Z&quot; &lt;Ørsted&gt; &amp; Co');
    expect(spliced.from).toBe(composed.from);
    // Body lines within quoted-printable's 76; header lines within RFC 5322's hard 998 (a long
    // List-Unsubscribe URL cannot fold at 78).
    const raw = spliced.raw.toString();
    const cut = raw.indexOf('\r\n\r\n');
    expect(raw.slice(0, cut).split('\r\n').filter((l) => l.length > 998)).toEqual([]);
    expect(raw.slice(cut + 4).split('\r\n').filter((l) => l.length > 76)).toEqual([]);
  });

  it('reuses a released message buffer for a later message, and never one still in use', async () => {
    fx = await makeSendFixture({ subscribers: [] });
    const [templates, taxonomy] = await Promise.all([loadIssueTemplates(join(REPO, 'templates')), loadTaxonomy(join(REPO, 'templates/topics.json'))]);
    const issue = { ...groupByTopic(await readDigestFile(SAMPLE_DIGEST, new Date()), taxonomy), id: '2026-03-14-test0002' };
    const variant = (await renderVariant(issue, templates, { topics: [], limits: fx.config.render, baseUrl: fx.config.baseUrl }))!;
    const ctx = spliceFactory.prepareVariant(variant, { from: fx.config.from, listId: 'paperboy <paperboy.example.org>', date: new Date('2026-03-14T07:00:00Z') });
    const build = (email: string) =>
      spliceFactory.buildMessage(ctx, { email, messageId: messageIdFor(issue.id, email, fx!.config.from), fields: fieldsFor(fx!.app, { email, tokenVersion: 0 }, issue.id) });
    const a = await build('a@example.org');
    const b = await build('b@example.org');
    const bytesOfB = Buffer.from(b.raw);
    expect((a.raw as Buffer).buffer).not.toBe((b.raw as Buffer).buffer);
    a.release!();
    const c = await build('c@example.org');
    // c is written where a was; b, not released, is untouched.
    expect((c.raw as Buffer).buffer).toBe((a.raw as Buffer).buffer);
    expect(Buffer.compare(b.raw as Buffer, bytesOfB)).toBe(0);
    expect(one(c.raw, 'To')).toBe('<c@example.org>');
    // And it is the same message as one written into new memory.
    const fresh = await build('c@example.org');
    expect((fresh.raw as Buffer).buffer).not.toBe((c.raw as Buffer).buffer);
    expect(Buffer.compare(fresh.raw as Buffer, c.raw as Buffer)).toBe(0);
  });

  it('signs with DKIM when configured (key given as a file path)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: [subscriber('ada@example.org')] });
    const keyPath = join(fx.dir, 'dkim.pem');
    await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const f = await makeSendFixture({
      smtpUrl: sink.url,
      subscribers: [subscriber('ada@example.org')],
      env: { PAPERBOY_DKIM_DOMAIN: 'example.org', PAPERBOY_DKIM_SELECTOR: 'pb2026', PAPERBOY_DKIM_PRIVATE_KEY: keyPath },
    });
    try {
      await f.app.sendIssue(SAMPLE_DIGEST);
      const sig = one(sink.messages[0]!.raw, 'DKIM-Signature')!;
      expect(sig).toMatch(/d=example\.org/);
      expect(sig).toMatch(/s=pb2026/);
      expect(sig.toLowerCase()).toMatch(/h=[^;]*list-unsubscribe-post/);
    } finally {
      await f.close();
    }
  });

  it('without SMTP settings writes .eml files to the outbox and sends nothing', async () => {
    fx = await makeSendFixture({ subscribers: [subscriber('ada@example.org'), subscriber('bob@example.org')] });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report.sent).toBe(2);
    const outbox = join(fx.config.stateDir, 'outbox');
    const files = (await readdir(outbox)).sort();
    expect(files).toHaveLength(2);
    for (const f of files) expect(f).toMatch(/^2026-03-14-[0-9a-f]{8}\.[0-9a-f]{16}@example\.org\.eml$/);
    const parsed = await simpleParser(await readFile(join(outbox, files[0]!)));
    expect(parsed.html).toBeTruthy();
    expect(sink.messages).toHaveLength(0);
  });
});

describe('the archived web edition', () => {
  it('is a page of every paper with its whole abstract and an anchor each, where the "more" links of a tight email point', async () => {
    const digest = join(REPO, '../shared/data/digests/hf-daily-2025-10-03.json');
    // A budget even titles overrun: the email leaves papers out and links to them here.
    fx = await makeSendFixture({ subscribers: [subscriber('ada@example.org')], env: { PAPERBOY_MAX_HTML_BYTES: '20000' } });
    const report = await fx.app.sendIssue(digest);
    expect(report.sent).toBe(1);
    const [entry] = await fx.app.store.listArchive();
    const web = (await fx.app.store.getArchive(entry!.issueId))!;
    const papers = (await readDigestFile(digest, new Date('2026-11-26T00:00:00Z'))).papers;
    expect(web.paperCount).toBe(papers.length);
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    for (const p of papers) expect(flat(web.text)).toContain(texToUnicode(p.title));
    const longest = papers.reduce((a, b) => (b.abstract.length > a.abstract.length ? b : a));
    expect(flat(web.text)).toContain(longest.abstract.slice(-60));
    expect(web.html).toContain(Handlebars.escapeExpression(longest.abstract.slice(-60)));
    // A page fragment for the site's layout: no document, no personal parts, a way to subscribe.
    expect(web.html).not.toMatch(/<html|unsubscribe|You get it because|stop-topic/i);
    expect(web.text).not.toMatch(/Unsubscribe:|Stop getting|^Hi,|^-- $/m);
    expect(web.html).toContain('href="https://papers.example.org/">Subscribe</a>');
    const anchors = new Set([...web.html.matchAll(/<article class="paper" id="([^"]+)"/g)].map((m) => m[1]));
    expect(anchors.size).toBe(papers.length);
    const mail = await simpleParser(await readFile(join(fx.config.stateDir, 'outbox', (await readdir(join(fx.config.stateDir, 'outbox')))[0]!)));
    const more = [...(mail.html as string).matchAll(/href="https:\/\/papers\.example\.org\/archive\/[^"#]+#([^"]+)">(\d+) more papers? in/g)];
    expect(more.length).toBeGreaterThan(0);
    for (const [, anchor] of more) expect(anchors.has(anchor!)).toBe(true);
  });
});
