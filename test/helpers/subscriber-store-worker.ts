// Child process for the store concurrency test: `node bin/run-ts.js test/helpers/subscriber-store-worker.ts <file> <worker> <count>`.
// Fires <count> concurrent updates; each adds its own address and bumps a shared counter, so a lost
// update shows as a missing address or a short count.
import { FileSubscriberStore } from '../../src/adapters/subscriber-store.js';

const [file, worker, count] = process.argv.slice(2);
if (!file || !worker || !count) {
  console.error('usage: subscriber-store-worker.ts <file> <worker> <count>');
  process.exit(2);
}
const store = new FileSubscriberStore(file);
const now = new Date().toISOString();
await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    store.update((subs) => {
      subs.push({ email: `w${worker}-${i}@example.org`, topics: [], status: 'active', createdAt: now, hardBounces: 0, consent: {}, tokenVersion: 0 });
      const counter = subs.find((s) => s.email === 'counter@example.org');
      if (counter) counter.tokenVersion += 1;
    }),
  ),
);
