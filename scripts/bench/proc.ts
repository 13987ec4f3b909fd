// Child processes for the benchmark: spawn, measure wall time and peak RSS (VmHWM from /proc,
// polled), time out, and make sure nothing is left running when the bench exits.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();

/** Kills every child still running (on exit, Ctrl-C, or an error in the bench). */
export function killAll(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  live.clear();
}

export function track(c: ChildProcess): ChildProcess {
  live.add(c);
  c.on('exit', () => live.delete(c));
  return c;
}

/** Peak resident set size so far in kB, or undefined once the process is gone. */
export function vmHwmKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time used so far (user and system, ms), from /proc/<pid>/stat; undefined once gone. */
export function cpuMs(pid: number): { user: number; system: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 (index 11 and 12 here), in clock ticks (100 per second on Linux).
    return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds a fixed task like a send's per-message work takes now (JSON, strings, 37 KB buffer
 * joins, HMACs; one thread). On a shared machine the same command runs up to ~1.5× slower from one
 * period to the next; this says how fast the machine was just before a run, so runs can be compared.
 */
export function speedProbeMs(): number {
  const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(900 + i, 65));
  const start = performance.now();
  let n = 0;
  for (let i = 0; i < 20_000; i++) {
    const line = JSON.stringify({ at: new Date(i * 1000).toISOString(), email: `reader${i}@example.org`, event: 'sent', attempt: 1 });
    n += (JSON.parse(line) as { email: string }).email.length;
    n += Buffer.concat(chunks).length;
    n += createHmac('sha256', 'probe').update(line).digest('base64url').length;
  }
  if (n === 0) throw new Error('unreachable');
  return performance.now() - start;
}

/** The whole machine's CPU time so far (all cores, ms): busy and total, from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
    const t = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = t.reduce((a, b) => a + b, 0);
    return { busy: (total - t[3]! - t[4]!) * 10, total: total * 10 };
  } catch {
    return undefined;
  }
}

/** CPU used between two readings: by the machine (share of all cores busy) and by one process (ms). */
export interface CpuShare {
  machineBusy: number;
  sinkMs: number | undefined;
}

/** Starts measuring the machine and, when given, the sink process; call the result when done. */
export function measureShare(sinkPid: number | undefined): () => CpuShare | undefined {
  const m0 = machineCpuMs();
  const s0 = sinkPid === undefined ? undefined : cpuMs(sinkPid);
  return () => {
    const m1 = machineCpuMs();
    const s1 = sinkPid === undefined ? undefined : cpuMs(sinkPid);
    if (!m0 || !m1 || m1.total === m0.total) return undefined;
    return {
      machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
      sinkMs: s0 && s1 ? s1.user + s1.system - s0.user - s0.system : undefined,
    };
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Highest VmHWM seen while polling (kB). */
  peakRssKb: number;
  /** CPU time (user + system) at the last poll before exit, ms. */
  cpuMs: number;
  /** Of which system (kernel: socket writes, fsync, and on loopback the receiving side's TCP work). */
  sysMs: number;
}

export async function runMeasured(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs: number; echo?: boolean }): Promise<RunResult> {
  const start = performance.now();
  const child = track(spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d;
    if (opts.echo) process.stderr.write(d);
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
    if (opts.echo) process.stderr.write(d);
  });
  let peak = 0;
  let cpu = 0;
  let sys = 0;
  const poll = setInterval(() => {
    const kb = child.pid ? vmHwmKb(child.pid) : undefined;
    if (kb !== undefined && kb > peak) peak = kb;
    const c = child.pid ? cpuMs(child.pid) : undefined;
    if (c !== undefined && c.user + c.system > cpu) {
      cpu = c.user + c.system;
      sys = c.system;
    }
  }, 50);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  }).finally(() => {
    clearInterval(poll);
    clearTimeout(timer);
  });
  return { code, signal, stdout, stderr, wallMs: performance.now() - start, peakRssKb: peak, cpuMs: cpu, sysMs: sys };
}
