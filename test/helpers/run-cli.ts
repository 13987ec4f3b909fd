// Runs the CLI in-process (the real `main`, no child process) and captures what it prints.
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], opts: { env?: Record<string, string>; cwd: string }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'paperboy', ...argv], {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: opts.env ?? {},
    cwd: opts.cwd,
    isTTY: false,
  });
  return { code, stdout, stderr };
}
