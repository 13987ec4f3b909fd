// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the time went: self time by
// package, and inclusive time (on the stack at all) by function.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// Compiled code (dist/) is reported under the source path it came from (src/).
const shortUrl = (url: string) =>
  url
    .replace(/^.*node_modules\//, '~/')
    .replace(/^file:\/\/.*?\/(src|scripts|bin|dist)\//, '$1/')
    .replace(/^dist\/(.*)\.js$/, 'src/$1.ts');
const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

/** node_modules package, our source folder, node internals or V8 pseudo-frames. */
function area(url: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const src = /\/((?:src|scripts|dist)\/[^/]+)/.exec(url);
  if (src) return src[1]!.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
  if (url.startsWith('node:')) return 'node internals';
  return url ? 'other' : '(native/V8)';
}

function table(entries: Map<string, number>, all: number, n: number): string[] {
  return [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / all).toFixed(1).padStart(5)}%  ${key}`);
}

export function topFunctions(file: string, n = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);

  const selfByFn = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    all += us;
    const fn = label(node);
    selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + us);
    const a = node.callFrame.functionName === '(idle)' ? '(idle)' : area(node.callFrame.url);
    selfByArea.set(a, (selfByArea.get(a) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  });
  // Inclusive time is only telling for our own code and a few library entry points.
  const ours = new Map([...inclusive].filter(([k]) => / (src|scripts)\//.test(k) || /mjml2html|sendMail|_transform/.test(k)));
  return [
    `${(all / 1000).toFixed(0)} ms sampled (${file})`,
    'self time by area:',
    ...table(selfByArea, all, 15),
    'self time by function:',
    ...table(selfByFn, all, n),
    'inclusive time, our code:',
    ...table(ours, all, n),
  ].join('\n');
}

/** Who calls `fnName` (self time of that function, by its chain of `depth` callers). */
export function callersOf(file: string, fnName: string, depth = 4, n = 12): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const chains = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName !== fnName) return;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const names: string[] = [];
    for (let cur = parent.get(id), k = 0; cur !== undefined && k < depth; cur = parent.get(cur), k++) names.push(label(byId.get(cur)!));
    const key = names.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + us);
  });
  return [`${fnName}: ${(total / 1000).toFixed(0)} ms self`, ...table(chains, total, n)].join('\n');
}
