// Summarises a V8 .cpuprofile: self time by area and function, inclusive time of our code; or, with
// --callers NAME, the call chains that lead to NAME.
// Usage: node bin/run-ts.js scripts/bench/cpuprofile-top.ts <file.cpuprofile> [N] [--callers NAME [depth]]
import { callersOf, topFunctions } from './cpuprofile.js';

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error('usage: node bin/run-ts.js scripts/bench/cpuprofile-top.ts <file.cpuprofile> [N] [--callers NAME [depth]]');
  process.exit(2);
}
const c = args.indexOf('--callers');
if (c >= 0) console.log(callersOf(file, args[c + 1] ?? '', Number(args[c + 2] ?? 4)));
else console.log(topFunctions(file, Number(args[1] ?? 30)));
