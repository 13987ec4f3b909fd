import { SmtpConnectionPool } from './dist/adapters/smtp-pool.js';
import { parseConfig } from './dist/config.js';
import { markPassesUnchanged } from './dist/domain/mime/smtp-data.js';
const N = 10000, CONNS = 5;
const line = Buffer.from(`${'X'.repeat(74)}=\r\n`);
const message = Buffer.concat([Buffer.from('From: probe@example.org\r\nSubject: probe\r\n\r\n'), ...Array(Math.ceil(38100 / line.length)).fill(line)]);
const ring = Array.from({ length: 24 }, () => Buffer.from(message));
for (const mode of ['same', 'ring', 'ring+fill', 'fresh']) {
  const p = new SmtpConnectionPool('smtp://127.0.0.1:2525', parseConfig({ smtp: { connections: CONNS } }, {}));
  let next = 0;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const worker = async () => { while (next < N) { const i = next++;
    let raw;
    if (mode === 'same') raw = message.subarray(0);
    else if (mode === 'ring') raw = ring[i % 24].subarray(0);
    else if (mode === 'ring+fill') { const b = ring[i % 24]; message.copy(b); raw = b.subarray(0); }
    else raw = Buffer.from(message);
    markPassesUnchanged(raw);
    await p.send({ from: 'probe@example.org', to: `r${i}@example.org`, raw, messageId: '<p@x>' }); } };
  await Promise.all(Array.from({ length: CONNS * 4 }, worker));
  const cu = process.cpuUsage(c0); const ms = performance.now() - t0;
  console.log(mode.padEnd(10), Math.round(N / ms * 1000), 'msgs/s; user', Math.round(cu.user / N), 'sys', Math.round(cu.system / N), 'µs/msg');
  await p.close();
}
