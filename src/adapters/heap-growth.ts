// V8 grows the old generation to up to 4× what survived the last full collection before it
// collects again. A send allocates ~1 KB per message that outlives a young-generation collection
// (ledger lines, promises waiting on an fsync or the wire) and dies soon after, so at 100,000
// recipients the heap filled with ~250 MB of such garbage on top of ~85 MB live, and the peak RSS
// was set by garbage, not by what the run holds. 30% growth keeps the headroom proportionate;
// the extra full collections cost ~1% CPU (measured: docs/performance.md, third round).
import { setFlagsFromString } from 'node:v8';

let done = false;

/** Caps old-generation growth per full GC for the rest of the process (idempotent). */
export function limitHeapGrowth(percent = 30): void {
  if (done) return;
  done = true;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
