// Local preview page for template authors: lists the digests folder, renders any digest for all topics or
// a chosen set, and shows the email as a desktop and a 390 px phone screen side by side (light or dark),
// the text part, and the HTML's size as sent against the budget; "send me a test" mails one copy
// (admin token). It reloads itself when a template, the taxonomy or a digest changes. Renders on
// request, cached by file versions.
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { html, raw } from 'hono/html';
import { isPaperboyError } from '../errors.js';
import { filesVersion } from '../adapters/file-versions.js';
import { listDigestFiles } from '../adapters/digest-folder.js';
import { variantKey, type IssueTemplates } from '../domain/render/index.js';
import { OTHER_TOPIC_ID, type Taxonomy } from '../domain/taxonomy.js';
import { loadPreviewInputs, renderPreview, type Preview, type PreviewSettings } from '../services/render-preview.js';

type Outcome = { ok: true; preview: Preview } | { ok: false; error: string };

const MAX_CACHED = 32;

/** Poll /version every second; reload when it differs from the version this page was rendered at. */
const reloadScript = (version: string) =>
  raw(`<script>const v=${JSON.stringify(version)};setInterval(()=>fetch('/version').then(r=>r.text()).then(t=>{if(t!==v)location.reload()}).catch(()=>{}),1000)</script>`);

const STYLE = raw(`<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0;padding:16px 24px;color:#1f2328}
a{color:#0969da} .err{background:#ffebe9;border:1px solid #ff8182;padding:12px;white-space:pre-wrap;font-family:monospace}
.screens{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap;margin-top:12px}
.screens figure{margin:0} .screens figcaption{color:#59636e;font-size:13px;margin-bottom:4px}
iframe{height:80vh;border:1px solid #d1d9e0;background:#fff} .desktop{width:680px} .phone{width:390px}
pre{white-space:pre;background:#f6f8fa;padding:12px;height:80vh;overflow:auto;margin:0;font-size:13px;width:76ch}
label{margin-right:12px;white-space:nowrap} .stats{color:#59636e;margin:8px 0}
meter{width:240px;vertical-align:middle} .over{color:#cf222e;font-weight:bold}
form.test{margin:12px 0;padding:8px 12px;border:1px solid #d1d9e0;border-radius:6px;display:inline-block}
</style>`);

function errorText(e: unknown): string {
  return isPaperboyError(e) ? `${e.code}: ${e.message}` : `Unexpected error: ${(e as Error)?.stack ?? String(e)}`;
}

function topicsFrom(c: Context): string[] | null {
  const ids = (c.req.queries('topics') ?? []).flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
  return ids.length > 0 ? [...new Set(ids)].sort() : null;
}

function page(title: string, version: string, body: unknown) {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${STYLE}</head><body>${body}${reloadScript(version)}</body></html>`;
}

/**
 * The email as a client that follows prefers-color-scheme shows it in dark mode: the rules inside
 * `@media (prefers-color-scheme: dark)` applied unconditionally (the frames cannot switch the
 * browser's own scheme).
 */
export function forceDarkMode(emailHtml: string): string {
  const marker = /@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{/g;
  let out = '';
  let last = 0;
  for (let m = marker.exec(emailHtml); m; m = marker.exec(emailHtml)) {
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < emailHtml.length && depth > 0; i++) {
      if (emailHtml[i] === '{') depth++;
      else if (emailHtml[i] === '}') depth--;
    }
    if (depth !== 0) break;
    out += emailHtml.slice(last, m.index) + emailHtml.slice(m.index + m[0].length, i - 1);
    last = i;
    marker.lastIndex = i;
  }
  return out + emailHtml.slice(last);
}

const tokenMatches = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function createPreviewApp(settings: PreviewSettings, now: () => Date = () => new Date()): Hono {
  const app = new Hono();
  const watched = [
    join(settings.templatesDir, 'emails', 'issue'),
    join(settings.templatesDir, 'partials'),
    settings.taxonomyPath,
    settings.digestsDir,
  ];
  const version = () => filesVersion(watched);

  let inputs: { version: string; value: Promise<{ templates: IssueTemplates; taxonomy: Taxonomy }> } | undefined;
  const loadInputs = (v: string) => {
    if (inputs?.version !== v) inputs = { version: v, value: loadPreviewInputs(settings) };
    return inputs.value;
  };

  const renders = new Map<string, Promise<Outcome>>();
  const render = (v: string, digest: string, topics: string[] | null): Promise<Outcome> => {
    const key = `${v}|${digest}|${variantKey(topics)}`;
    let hit = renders.get(key);
    if (!hit) {
      hit = loadInputs(v)
        .then((i) => renderPreview(join(settings.digestsDir, digest), topics, settings, i, now()))
        .then((preview): Outcome => ({ ok: true, preview }), (e: unknown): Outcome => ({ ok: false, error: errorText(e) }));
      renders.set(key, hit);
      if (renders.size > MAX_CACHED) renders.delete(renders.keys().next().value!);
    }
    return hit;
  };

  /** The digest named in the URL, only if it is a file listed in the digests folder (no paths). */
  const digestParam = async (c: Context): Promise<string | undefined> => {
    const name = c.req.param('name');
    return name && (await digestNames()).includes(name) ? name : undefined;
  };
  /** Newest first: date-named digests put today's at the top. */
  const digestNames = async () => (await listDigestFiles(settings.digestsDir)).map((f) => f.name).reverse();

  app.get('/version', async (c) => c.text(await version(), 200, { 'cache-control': 'no-store' }));

  app.get('/', async (c) => {
    const v = await version();
    const files = await digestNames();
    const list = files.length
      ? html`<ul>${files.map((f) => html`<li><a href="/digest/${encodeURIComponent(f)}">${f}</a></li>`)}</ul>`
      : html`<p>No digest files in <code>${settings.digestsDir}</code>. Put one there (JSON, HF daily papers, trending page text or arXiv Atom).</p>`;
    return c.html(page('paperboy preview', v, html`<h1>paperboy preview</h1><p>Digests in <code>${settings.digestsDir}</code>:</p>${list}`));
  });

  const sendForm = (base: string, query: string, note?: string) =>
    settings.adminToken && settings.sendTest
      ? html`<form class="test" method="post" action="${base}/send-test${query}">
          <b>Send me a test</b> <input type="email" name="to" required placeholder="you@example.org">
          <input type="password" name="token" required placeholder="admin token" autocomplete="off">
          <button type="submit">Send</button>${note ? html` <span>${note}</span>` : ''}</form>`
      : html`<p class="stats">"Send me a test" needs an admin token: set PAPERBOY_ADMIN_TOKEN (config adminToken) and restart the preview.</p>`;

  const digestPage = async (c: Context, note?: string) => {
    const name = await digestParam(c);
    if (!name) return c.html(page('Not found', await version(), html`<p>No such digest. <a href="/">All digests</a></p>`), 404);
    const v = await version();
    const topics = topicsFrom(c);
    const dark = c.req.query('dark') === '1';
    const outcome = await render(v, name, topics);
    const params = [...(topics ? topics.map((t) => `topics=${encodeURIComponent(t)}`) : [])];
    const query = params.length ? `?${params.join('&')}` : '';
    const frameQuery = `?${[...params, ...(dark ? ['dark=1'] : [])].join('&')}`.replace(/\?$/, '');
    const toggle = `?${[...params, ...(dark ? [] : ['dark=1'])].join('&')}`.replace(/\?$/, '');
    const base = `/digest/${encodeURIComponent(name)}`;
    let taxonomy: Taxonomy | undefined;
    try {
      taxonomy = (await loadInputs(v)).taxonomy;
    } catch {
      // Shown as the render error below.
    }
    const topicIds = [...(taxonomy?.topics.map((t) => [t.id, t.name] as const) ?? []), [OTHER_TOPIC_ID, 'Other'] as const];
    const form = html`<form method="get" action="${base}">
      ${topicIds.map(([id, label]) => html`<label><input type="checkbox" name="topics" value="${id}" ${topics?.includes(id) ? 'checked' : ''}> ${label}</label>`)}
      ${dark ? html`<input type="hidden" name="dark" value="1">` : ''}<button type="submit">Render</button> <a href="${base}">all topics</a></form>`;
    let body;
    if (outcome.ok) {
      const p = outcome.preview;
      const budget = settings.limits.maxHtmlBytes;
      const kb = (n: number) => (n / 1024).toFixed(1);
      const size = p.sentBytes > budget ? html`<span class="over">${kb(p.sentBytes)} KB as sent, over the ${kb(budget)} KB budget</span>` : html`${kb(p.sentBytes)} KB as sent of the ${kb(budget)} KB budget`;
      body = html`<div class="stats"><b>${p.subject}</b><br>
          <meter min="0" max="${budget}" high="${Math.round(budget * 0.95)}" value="${p.sentBytes}"></meter> ${size} (${kb(p.htmlBytes)} KB of HTML) ·
          ${p.variant.shownCount} of ${p.variant.paperCount} papers shown · variant ${p.variant.key} ·
          rendered in ${Math.round(p.renderMs)} ms · <a href="${toggle ? `${base}${toggle}` : base}">${dark ? 'light mode' : 'dark mode'}</a> ·
          <a href="${base}/html${frameQuery}">HTML</a> · <a href="${base}/text${query}">text</a></div>
          ${sendForm(base, query, note)}
          <div class="screens">
          <figure><figcaption>Desktop</figcaption><iframe class="desktop" sandbox title="HTML part, desktop" src="${base}/html${frameQuery}"></iframe></figure>
          <figure><figcaption>Phone, 390 px</figcaption><iframe class="phone" sandbox title="HTML part, 390 px" src="${base}/html${frameQuery}"></iframe></figure>
          <figure><figcaption>Text part</figcaption><pre>${p.text}</pre></figure></div>`;
    } else body = html`<div class="err">${outcome.error}</div>`;
    return c.html(page(`${name} · paperboy preview`, v, html`<p><a href="/">All digests</a></p><h1>${name}</h1>${form}${body}`), outcome.ok ? 200 : 422);
  };
  app.get('/digest/:name', (c) => digestPage(c));

  app.post('/digest/:name/send-test', async (c) => {
    const name = await digestParam(c);
    if (!name) return c.text('No such digest.', 404);
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(c.req.url).origin) return c.text('Form sent from another site.', 403);
    if (!settings.adminToken || !settings.sendTest) return c.text('Test sends need an admin token: set PAPERBOY_ADMIN_TOKEN (config adminToken).', 403);
    const form = await c.req.parseBody();
    const to = typeof form.to === 'string' ? form.to.trim() : '';
    const token = typeof form.token === 'string' ? form.token : '';
    if (!tokenMatches(token, settings.adminToken)) return c.text('Wrong admin token.', 403);
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(to)) return c.text(`"${to}" is not an email address.`, 400);
    let note: string;
    try {
      note = await settings.sendTest(join(settings.digestsDir, name), to);
    } catch (e) {
      note = errorText(e);
    }
    return digestPage(c, note);
  });

  const part = (kind: 'html' | 'text') => async (c: Context) => {
    const name = await digestParam(c);
    if (!name) return c.text('No such digest.', 404);
    const outcome = await render(await version(), name, topicsFrom(c));
    if (!outcome.ok) return c.text(outcome.error, 422);
    if (kind === 'text') return c.text(outcome.preview.text);
    return c.html(c.req.query('dark') === '1' ? forceDarkMode(outcome.preview.html) : outcome.preview.html);
  };
  app.get('/digest/:name/html', part('html'));
  app.get('/digest/:name/text', part('text'));
  return app;
}
