// How fast SMTP clients alone can push one ready-made message to the bench's sink, with nothing else
// in the process (no rendering, ledger or subscriber checks): what the SMTP part of a send costs and
// where its floor is. Usage:
//   node bin/run-ts.js scripts/bench/smtp-client-probe.ts [--messages N] [--bytes N] [--connections N] [--sink postfix|node]
// Clients, each over the same number of connections reused for every message:
//   nodemailer        nodemailer's SMTPConnection as shipped (its DataStream walks every byte)
//   nodemailer+skip   the same with the pool's dot-stuffing shortcut (src/adapters/smtp-pool.ts)
//   paperboy pool     SmtpConnectionPool itself, 4 messages queued per connection as a send does,
//                     each message marked clean as the MIME template marks what it builds
//   pipelined floor   a bare client sending MAIL, RCPT and DATA in one write (RFC 2920). A
//                     reference for what Node can do, not something paperboy uses
//   smtp-source       postfix's smtp-source, the bench's ceiling
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SmtpConnectionPool, skipNeedlessStuffing } from '../../src/adapters/smtp-pool.js';
import { parseConfig } from '../../src/config.js';
import { markPassesUnchanged } from '../../src/domain/mime/smtp-data.js';
import { measureCeiling, startSink } from './sink.js';
import { killAll } from './proc.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    bytes: { type: 'string', default: '38100' },
    connections: { type: 'string', default: String(parseConfig({}, {}).smtp.connections) },
    sink: { type: 'string', default: 'postfix' },
  },
});
const N = Number(values.messages);
const CONNS = Number(values.connections);
const line = Buffer.from(`${'X'.repeat(74)}=\r\n`);
const message = Buffer.concat([Buffer.from('From: probe@example.org\r\nSubject: probe\r\n\r\n'), ...Array<Buffer>(Math.ceil(Number(values.bytes) / line.length)).fill(line)]);
const envelope = (i: number) => ({ from: 'probe@example.org', to: [`r${i}@example.org`] });

interface Result {
  ms: number;
  cpuUs: number;
}

async function measured(run: () => Promise<void>): Promise<Result> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const cu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuUs: cu.user + cu.system };
}

/** `conns` sessions, each sending its share of messages one after another. */
function nodemailer(port: number, skip: boolean): Promise<void> {
  let next = 0;
  const session = () =>
    new Promise<void>((resolve, reject) => {
      const c = new SMTPConnection({ host: '127.0.0.1', port });
      if (skip) skipNeedlessStuffing(c);
      c.on('error', reject);
      c.connect(() => {
        const one = () => {
          if (next >= N) return c.quit(), resolve();
          const i = next++;
          c.send(envelope(i), message, (err: Error | null) => (err ? reject(err) : one()));
        };
        one();
      });
    });
  return Promise.all(Array.from({ length: CONNS }, session)).then(() => undefined);
}

async function pool(port: number): Promise<void> {
  const p = new SmtpConnectionPool(`smtp://127.0.0.1:${port}`, parseConfig({ smtp: { connections: CONNS } }, {}));
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const raw = message.subarray(0);
      markPassesUnchanged(raw);
      await p.send({ from: 'probe@example.org', to: `r${next++}@example.org`, raw, messageId: '<probe@example.org>' });
    }
  };
  await Promise.all(Array.from({ length: CONNS * 4 }, worker));
  await p.close();
}

/** MAIL, RCPT and DATA in one write, then the message and its final dot: 2 writes per message. */
function pipelined(port: number): Promise<void> {
  let next = 0;
  const data = Buffer.concat([message, Buffer.from('.\r\n')]);
  const session = () =>
    new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      s.setNoDelay(true);
      s.on('error', reject);
      let buf = '';
      let state: 'greeting' | 'ehlo' | 'envelope' | 'data' | 'quit' = 'greeting';
      let replies = 0;
      const start = () => {
        if (next >= N) {
          state = 'quit';
          s.end('QUIT\r\n');
          return resolve();
        }
        const i = next++;
        state = 'envelope';
        replies = 0;
        s.write(`MAIL FROM:<probe@example.org>\r\nRCPT TO:<r${i}@example.org>\r\nDATA\r\n`);
      };
      s.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        for (let k = buf.indexOf('\r\n'); k >= 0; k = buf.indexOf('\r\n')) {
          const reply = buf.slice(0, k);
          buf = buf.slice(k + 2);
          if (reply[3] === '-') continue;
          if (!/^[23]/.test(reply) && state !== 'quit') return reject(new Error(`sink replied ${reply}`));
          if (state === 'greeting') (state = 'ehlo'), s.write('EHLO probe\r\n');
          else if (state === 'ehlo') start();
          else if (state === 'envelope' && ++replies === 3) (state = 'data'), s.write(data);
          else if (state === 'data') start();
        }
      });
    });
  return Promise.all(Array.from({ length: CONNS }, session)).then(() => undefined);
}

const sink = await startSink(values.sink === 'node' ? 'node' : 'postfix');
try {
  console.log(`${N.toLocaleString('en-US')} messages of ${message.length.toLocaleString('en-US')} bytes over ${CONNS} connections to ${sink.kind}`);
  const rows: [string, Result | undefined][] = [
    ['nodemailer', await measured(() => nodemailer(sink.port, false))],
    ['nodemailer+skip', await measured(() => nodemailer(sink.port, true))],
    ['paperboy pool', await measured(() => pool(sink.port))],
    ['pipelined floor', await measured(() => pipelined(sink.port))],
  ];
  const c = await measureCeiling(sink.port, N, message.length, CONNS, sink.pid);
  rows.push(['smtp-source', c && { ms: c.ms, cpuUs: c.cpuMs * 1000 }]);
  console.log('client              msgs/s   CPU µs/msg (client process)');
  for (const [name, r] of rows) {
    if (!r) console.log(`${name.padEnd(18)}  not installed (apt-get install postfix)`);
    else console.log(`${name.padEnd(18)}  ${Math.round((N * 1000) / r.ms).toLocaleString('en-US').padStart(6)}   ${Math.round(r.cpuUs / N).toLocaleString('en-US').padStart(5)}`);
  }
} finally {
  await sink.stop();
  killAll();
}
