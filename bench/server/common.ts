import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { promisify } from 'node:util';

// Small helpers shared by the companion-server benchmarks: ports, statistics, /proc readings, markdown.

export const exec = promisify(execFile);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Polls `url` until it answers (any status below 500), at most `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 20_000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`the process behind ${url} exited before it answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile (p in 0..100); 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  const s = sorted(values);
  if (s.length === 0) return 0;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

export function median(values: readonly number[]): number {
  const s = sorted(values);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** A field of /proc/PID/status in KiB (VmRSS = resident now, VmHWM = resident peak over the process lifetime). */
export function procKib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

/** CPU time (user + system) a process has used so far, in seconds, from /proc/PID/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3 of stat); utime and stime are fields 14 and 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** Samples VmRSS every `everyMs` until stopped; returns the highest value seen (KiB). */
export function rssSampler(pid: number, everyMs = 20): { stop(): number } {
  let peak = procKib(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, procKib(pid, 'VmRSS'))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, procKib(pid, 'VmRSS'));
    },
  };
}

/** "Run on …" line every section starts with: date, cores, CPU model, Node, load at the start. */
export function machineLine(extra: string[] = []): string {
  const cpu = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return (
    [
      `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}`,
      `Linux, Node ${process.version}`,
      ...extra,
      `load average at start ${load} (1/5/15 min)`,
    ].join(', ') + '.'
  );
}

export function table(header: string[], rows: (string | number)[][], align: ('l' | 'r')[] = []): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

export const verdict = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**');

// Cleanup that must happen even when a benchmark throws or the run is interrupted: each started process and temp
// dir registers a synchronous undo here; `stop()` paths unregister it after doing the same asynchronously.
const undo = new Set<() => void>();
let hooked = false;

export function onAbort(fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    const runAll = () => {
      for (const f of [...undo].reverse()) {
        try {
          f();
        } catch {
          // best effort
        }
      }
      undo.clear();
    };
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(130);
      });
    }
  }
  undo.add(fn);
  return () => {
    undo.delete(fn);
  };
}
