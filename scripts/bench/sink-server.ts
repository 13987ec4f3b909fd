// Fallback SMTP sink for the benchmark when postfix's smtp-sink is not installed: accepts every
// message on 127.0.0.1 and throws it away. Runs as its own process so it does not share the
// sending process's CPU. Prints `PORT <n>` once listening; on SIGTERM prints `STATS {json}` and exits.
// With a file path as second argument it also counts messages per recipient and writes
// `{ "<address>": count }` there on SIGTERM (the crash benchmark's duplicate check).
import { writeFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';

const countsFile = process.argv[3];
const perRecipient = new Map<string, number>();
let messages = 0;
let bytes = 0;
const server = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  maxClients: 1024,
  onData(stream, session, callback) {
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('end', () => {
      messages += 1;
      // Counted once the whole message is in, just before the 250 reply: what the sender may take
      // as delivered.
      if (countsFile) for (const r of session.envelope.rcptTo) perRecipient.set(r.address, (perRecipient.get(r.address) ?? 0) + 1);
      callback();
    });
  },
});
// A client that dies mid-session (the crash benchmark kills the sender) resets its connection:
// that is the client's business, not a reason for the sink to stop.
server.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const addr = server.server.address();
  process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => {
  if (countsFile) writeFileSync(countsFile, JSON.stringify(Object.fromEntries(perRecipient)));
  process.stdout.write(`STATS ${JSON.stringify({ messages, bytes })}\n`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
