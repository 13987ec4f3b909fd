// `paperboy preview <digest>` writes the rendered email to a file; `paperboy preview --serve` runs a local
// page that re-renders as templates and digests change.
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { App } from '../../app.js';
import { loadConfig } from '../../config.js';
import { PaperboyError } from '../../errors.js';
import { loadPreviewInputs, previewSettings, renderPreview } from '../../services/render-preview.js';
import type { CliIo } from '../main.js';
import type { RegisterCommand } from './index.js';
import { listenForStop } from '../stop-request.js';
import { ensureDir } from '../../adapters/ensure-dir.js';

interface Opts {
  topics?: string;
  out?: string;
  text?: boolean;
  serve?: boolean;
  port?: string;
}

/** "a,b" → ['a','b']; "all" or empty → null (every topic). */
export function parseTopics(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const ids = value.split(',').map((t) => t.trim()).filter(Boolean);
  if (ids.length === 0 || (ids.length === 1 && ids[0] === 'all')) return null;
  return ids;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function shownPath(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('preview [digest]')
    .description('render a digest to an HTML file (and text with --text), or serve a live preview page with --serve')
    .option('--topics <ids>', 'comma-separated topic ids (default: all topics)')
    .option('--out <file>', 'HTML output file (default: ./preview/<issueId>[+topics].html)')
    .option('--text', 'also write the plain-text part next to it (.txt)')
    .option('--serve', 'serve a live preview of the digests folder on 127.0.0.1')
    .option('--port <n>', 'port for --serve (0 = any free port)', '8081')
    .action(async (digest: string | undefined, opts: Opts, cmd: Command) => {
      const file = program.opts<{ config?: string }>().config;
      const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
      const settings = previewSettings(config, io.cwd);

      if (opts.serve) {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PaperboyError('INPUT_INVALID', `--port must be a port number, not "${opts.port}".`);
        // The web stack (hono) is loaded only for --serve: a one-off preview starts faster without it.
        const { startPreviewServer } = await import('../../http/preview-server.js');
        // "Send me a test" sends as `paperboy send <digest> --to` does; the app is built on first use.
        let app: Promise<App> | undefined;
        const sendTest = async (digestPath: string, to: string) => {
          app ??= import('../../app.js').then(({ createApp }) => createApp(config, { cwd: io.cwd }));
          const report = await (await app).sendIssue(digestPath, { to });
          return report.message ?? `Sent to ${to}.`;
        };
        const server = await startPreviewServer({ ...settings, sendTest }, { port, host: '127.0.0.1' });
        // Listening for a stop before saying where we listen: whoever reads that line may stop us at once.
        const stop = listenForStop(io.env);
        io.stdout(`Preview of ${shownPath(io, settings.digestsDir)} at ${server.url}  (Ctrl-C to stop)\n`);
        await stop.reason;
        stop.dispose();
        await server.close();
        await (await app)?.close();
        return;
      }
      if (!digest) {
        cmd.error('error: give a digest file to preview, or --serve for the live preview page');
        return;
      }

      const topics = parseTopics(opts.topics);
      const inputs = await loadPreviewInputs(settings);
      const p = await renderPreview(resolve(io.cwd, digest), topics, settings, inputs, new Date());
      const name = `${p.issue.id}${p.variant.topicIds ? `+${p.variant.topicIds.join('+')}` : ''}`;
      const htmlPath = opts.out ? resolve(io.cwd, opts.out) : resolve(io.cwd, 'preview', `${name}.html`);
      await ensureDir(dirname(htmlPath));
      await writeFile(htmlPath, p.html);
      const budget = p.sentBytes > settings.limits.maxHtmlBytes ? ` — over the ${kb(settings.limits.maxHtmlBytes)} budget` : ` of the ${kb(settings.limits.maxHtmlBytes)} budget`;
      const papers = p.variant.shownCount < p.variant.paperCount ? `${p.variant.shownCount} of ${p.variant.paperCount} papers shown` : `${p.variant.paperCount} papers`;
      io.stdout(`Wrote ${shownPath(io, htmlPath)}: ${kb(p.htmlBytes)} HTML, ${kb(p.sentBytes)} as sent${budget}, ${papers}, rendered in ${Math.round(p.renderMs)} ms\n`);
      io.stdout(`Subject: ${p.subject}\n`);
      if (opts.text) {
        const textPath = htmlPath.replace(/\.html?$/i, '') + '.txt';
        await writeFile(textPath, p.text);
        io.stdout(`Wrote ${shownPath(io, textPath)}: ${kb(Buffer.byteLength(p.text, 'utf8'))} text\n`);
      }
    });
};
