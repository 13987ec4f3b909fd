// CLI entry: argument parsing only; every command hands off to services built by createApp.
import { Command, CommanderError } from 'commander';
import { isPaperboyError } from '../errors.js';
import { commands } from './commands/index.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  isTTY: boolean;
}

/** Thrown by a command to end with a given exit code after it has printed its own report. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('paperboy')
    .description('Trending research papers, grouped by topic, delivered by email.')
    .option('-c, --config <file>', 'JSON config file (environment variables override it)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run `paperboy --help` for usage)');
  for (const register of commands) register(program, io);
  return program;
}

/** Runs the CLI and returns the exit code. User errors print a message, never a stack trace. */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = {
    stdout: io.stdout ?? ((s) => process.stdout.write(s)),
    stderr: io.stderr ?? ((s) => process.stderr.write(s)),
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    isTTY: io.isTTY ?? Boolean(process.stdout.isTTY),
  };
  const program = buildProgram(fullIo);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof ExitCode) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isPaperboyError(e)) {
      fullIo.stderr(`paperboy: ${e.message}\n`);
      return e.code === 'DIGEST_INVALID' || e.code === 'CONFIG_INVALID' || e.code === 'INPUT_INVALID' ? 2 : 1;
    }
    // A bug, not a user error: say so, with the stack for the report.
    fullIo.stderr(`paperboy: unexpected error (please report it): ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}
