// Bench subscribers with realistic topic choices: ~15% take everything, the rest pick 1–4 topics,
// popular topics (earlier in topics.json) more often than niche ones. Seeded, so runs compare.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Subscriber } from '../../src/domain/subscriber.js';
import { seeded } from '../../src/domain/seeded-random.js';


// A few names with non-ASCII letters so To: headers and greetings get encoded like in real lists.
const NAMES = ['Ada', 'Zoë Ångström', 'José', 'Łukasz', '王芳', 'Ngozi Okafor', 'Priya', 'Erwin Schrödinger', 'Mia', "Seán O'Brien", 'Ali', 'Yuki 田中'];
const TOPIC_COUNT_WEIGHTS: [number, number][] = [
  [1, 0.35],
  [2, 0.3],
  [3, 0.2],
  [4, 0.15],
];

function pickWeighted<T>(items: readonly (readonly [T, number])[], rand: () => number): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Topic sets for n subscribers (empty = all topics). */
export function topicChoices(n: number, topicIds: readonly string[], rand: () => number): string[][] {
  // Zipf-like popularity: the k-th topic is chosen with weight 1 / (k+1)^0.8.
  const weighted = topicIds.map((id, k) => [id, 1 / Math.pow(k + 1, 0.8)] as const);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    if (rand() < 0.15) {
      out.push([]);
      continue;
    }
    const count = Math.min(pickWeighted(TOPIC_COUNT_WEIGHTS, rand), topicIds.length);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pickWeighted(weighted.filter(([id]) => !chosen.has(id)), rand));
    out.push([...chosen].sort());
  }
  return out;
}

export function benchSubscribers(n: number, topicIds: readonly string[], seed = 42): Subscriber[] {
  return benchSubscribersRange(0, n, topicIds, seed);
}

/** Subscribers from..to-1 of the same seeded list (each range its own stream of choices, so ranges compose). */
export function benchSubscribersRange(from: number, to: number, topicIds: readonly string[], seed = 42): Subscriber[] {
  const rand = seeded(seed * 1_000_003 + from);
  const n = to - from;
  const topics = topicChoices(n, topicIds, rand);
  const createdAt = '2026-01-01T00:00:00.000Z';
  return topics.map((t, i) => {
    const name = rand() < 0.6 ? NAMES[Math.floor(rand() * NAMES.length)] : undefined;
    return {
      email: `reader${String(from + i).padStart(7, '0')}@example.org`,
      ...(name ? { name } : {}),
      topics: t,
      status: 'active',
      createdAt,
      hardBounces: 0,
      consent: { method: 'import', topics: t, confirmedAt: createdAt },
      tokenVersion: 0,
    };
  });
}

/**
 * Writes n bench subscribers as a subscribers export ({"subscribers": [...]}, one record a line),
 * a line at a time, so a million never sit in this process's memory at once.
 */
export function writeBenchSubscribers(path: string, n: number, topicIds: readonly string[], seed = 42): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, '{"subscribers": [\n');
    const chunk = 10_000;
    for (let start = 0; start < n; start += chunk) {
      const part = benchSubscribersRange(start, Math.min(n, start + chunk), topicIds, seed);
      writeSync(fd, part.map((s, i) => (start + i === 0 ? '' : ',\n') + JSON.stringify(s)).join(''));
    }
    writeSync(fd, '\n]}\n');
  } finally {
    closeSync(fd);
  }
}
