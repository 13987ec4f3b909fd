// Fallback SMTP sink for the benchmark when postfix's smtp-sink is not installed: accepts every
// message on 127.0.0.1 and throws it away. Runs as its own process so it does not share the
// sending process's CPU. Prints `PORT <n>` once listening; on SIGTERM prints `STATS {json}` and exits.
import { SMTPServer } from 'smtp-server';

let messages = 0;
let bytes = 0;
const server = new SMTPServer({
  logger: false,
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  maxClients: 1024,
  onData(stream, _session, callback) {
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('end', () => {
      messages += 1;
      callback();
    });
  },
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const addr = server.server.address();
  process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => {
  process.stdout.write(`STATS ${JSON.stringify({ messages, bytes })}\n`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
