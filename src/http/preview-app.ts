// Local preview page for template authors: lists the digests folder, renders any digest for all topics or
// a chosen set, shows the HTML (in a sandboxed frame), its size and the text part, and reloads itself when
// a template, the taxonomy or a digest changes. Renders on request, cached by file versions.
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
.cols{display:flex;gap:24px;flex-wrap:wrap} .cols>div{flex:1 1 620px;min-width:0}
iframe{width:100%;max-width:640px;height:80vh;border:1px solid #d1d9e0}
pre{white-space:pre-wrap;background:#f6f8fa;padding:12px;height:80vh;overflow:auto;margin:0;font-size:13px}
label{margin-right:12px;white-space:nowrap} .stats{color:#59636e;margin:8px 0}
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

  app.get('/digest/:name', async (c) => {
    const name = await digestParam(c);
    if (!name) return c.html(page('Not found', await version(), html`<p>No such digest. <a href="/">All digests</a></p>`), 404);
    const v = await version();
    const topics = topicsFrom(c);
    const outcome = await render(v, name, topics);
    const query = topics ? `?${topics.map((t) => `topics=${encodeURIComponent(t)}`).join('&')}` : '';
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
      <button type="submit">Render</button> <a href="${base}">all topics</a></form>`;
    const body = outcome.ok
      ? html`<div class="stats"><b>${outcome.preview.subject}</b><br>
          ${(outcome.preview.htmlBytes / 1024).toFixed(1)} KB HTML (budget ${(settings.limits.maxHtmlBytes / 1024).toFixed(1)} KB) ·
          ${outcome.preview.variant.paperCount} papers · variant ${outcome.preview.variant.key} ·
          rendered in ${Math.round(outcome.preview.renderMs)} ms · <a href="${base}/html${query}">HTML</a> · <a href="${base}/text${query}">text</a></div>
          <div class="cols"><div><iframe sandbox title="HTML part" src="${base}/html${query}"></iframe></div>
          <div><pre>${outcome.preview.text}</pre></div></div>`
      : html`<div class="err">${outcome.error}</div>`;
    return c.html(page(`${name} · paperboy preview`, v, html`<p><a href="/">All digests</a></p><h1>${name}</h1>${form}${body}`), outcome.ok ? 200 : 422);
  });

  const part = (kind: 'html' | 'text') => async (c: Context) => {
    const name = await digestParam(c);
    if (!name) return c.text('No such digest.', 404);
    const outcome = await render(await version(), name, topicsFrom(c));
    if (!outcome.ok) return c.text(outcome.error, 422);
    return kind === 'html' ? c.html(outcome.preview.html) : c.text(outcome.preview.text);
  };
  app.get('/digest/:name/html', part('html'));
  app.get('/digest/:name/text', part('text'));
  return app;
}
