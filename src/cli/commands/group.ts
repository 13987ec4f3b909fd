// `paperboy group <digest> [--json] [--explain] [--taxonomy <file>]`: shows how a digest would be split
// into topic sections, so an admin can check the taxonomy before sending; --explain says why per paper.
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config.js';
import { readDigestFile } from '../../adapters/digest-file.js';
import { loadTaxonomy } from '../../adapters/taxonomy-file.js';
import { explainPlacement, explanationLines, type Explanation } from '../../domain/explain-placement.js';
import { issueOf, placePapers } from '../../domain/group-by-topic.js';
import type { Issue } from '../../domain/issue.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { RegisterCommand } from './index.js';

type Why = (paperId: string) => Explanation | undefined;

interface GroupJson {
  date: string;
  topics: { id: string; name: string; papers: { id: string; title: string; also: string[]; why?: Explanation }[] }[];
}

/** The `--json` shape: topics in section order, papers in section order with their secondary topics. */
export function groupJson(issue: Issue, why?: Why): GroupJson {
  return {
    date: issue.date,
    topics: issue.sections.map((s) => ({
      id: s.topic.id,
      name: s.topic.name,
      papers: s.papers.map((p) => {
        const explanation = why?.(p.id);
        return { id: p.id, title: p.title, also: p.topics.filter((t) => t !== s.topic.id), ...(explanation ? { why: explanation } : {}) };
      }),
    })),
  };
}

/** Readable listing: one block per topic with its paper count, then one title a line (and why, with --explain). */
export function groupListing(issue: Issue, explain?: { why: Why; taxonomy: Taxonomy }): string {
  const total = issue.sections.reduce((n, s) => n + s.papers.length, 0);
  const lines = [`${issue.date}: ${total} paper${total === 1 ? '' : 's'} in ${issue.sections.length} topic${issue.sections.length === 1 ? '' : 's'} (issue ${issue.id})`];
  for (const s of issue.sections) {
    lines.push('', `${s.topic.name} (${s.papers.length})`);
    for (const p of s.papers) {
      const also = p.topics.filter((t) => t !== s.topic.id);
      // Titles in some formats are hard-wrapped: print each on one line.
      lines.push(`  - ${p.title.replace(/\s+/g, ' ').trim()}${also.length ? `  [also: ${also.join(', ')}]` : ''}`);
      const e = explain?.why(p.id);
      if (e) lines.push(...explanationLines(e, explain!.taxonomy).map((l) => `      ${l}`));
    }
  }
  return lines.join('\n') + '\n';
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('group')
    .description('group a digest file by topic and print the sections')
    .argument('<digest>', 'digest file (paperboy JSON, Hugging Face daily papers JSON, trending-page text or arXiv Atom)')
    .option('--json', 'print {"date", "topics": [{"id", "name", "papers": [{"id", "title", "also": [secondary topic ids]}]}]}')
    .option('--explain', 'say per paper why it landed where it did: the field model\'s fields, keyword hits, combined scores (with --json: a "why" object per paper)')
    .option('--taxonomy <file>', 'taxonomy JSON file (default: taxonomyPath from config, else <templatesDir>/topics.json)')
    .action(async (digestPath: string, opts: { json?: boolean; explain?: boolean; taxonomy?: string }) => {
      const configFile = program.opts<{ config?: string }>().config;
      const config = loadConfig({ file: configFile ? resolve(io.cwd, configFile) : undefined, env: io.env });
      const taxonomyPath = resolve(io.cwd, opts.taxonomy ?? config.taxonomyPath ?? join(config.templatesDir, 'topics.json'));
      const taxonomy = await loadTaxonomy(taxonomyPath);
      const digest = await readDigestFile(resolve(io.cwd, digestPath), new Date());
      const placements = placePapers(digest, taxonomy, { hits: opts.explain === true });
      const issue = issueOf(digest, taxonomy, placements);
      let why: Why | undefined;
      if (opts.explain) {
        // Paper ids are unique within a digest (the parsers merge duplicates).
        const byId = new Map(placements.map((p) => [p.paper.id, explainPlacement(p, taxonomy)]));
        why = (id) => byId.get(id);
      }
      io.stdout(opts.json ? `${JSON.stringify(groupJson(issue, why), null, 2)}\n` : groupListing(issue, why && { why, taxonomy }));
    });
};
