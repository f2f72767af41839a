/**
 * Child processes for the bench: yeon itself (`bin/yeon serve`), the baselines and the load
 * generators each run in their own process, so the load never shares an event loop with the
 * server it measures (load is generated from a separate process, so the load generator never
 * competes inside the measured process).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { yeonRuns } from '../../scripts/dist-entry.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The environment of a measured yeon: production mode on a free loopback port, its own data
 * directory (SQLite file and keys) and cookie secret, logging warnings only.
 */
export async function benchEnv(dataDir: string): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    YEON_ENV: 'production',
    YEON_DATA_DIR: dataDir,
    YEON_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    YEON_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    // Production requires an SMTP relay; nothing listens on the discard port, so mail the run
    // queues (sign-up confirmations) waits in the outbox instead of leaving the machine.
    YEON_SMTP_URL: 'smtp://127.0.0.1:9',
    // Every simulated person comes from 127.0.0.1: the per-address cap on new login pages would
    // measure the cap, not the login.
    YEON_AUTHORIZE_MAX_PER_IP: '100000',
    // The bench drives a saturated instance on purpose: shedding by event-loop lag would measure
    // the 503s, not the work (a figure counts only with zero errors).
    YEON_MAX_EVENT_LOOP_DELAY_MS: '0',
    YEON_LOG_LEVEL: 'warn',
    YEON_PORT: String(port),
    YEON_ISSUER: `http://127.0.0.1:${port}`,
    // production refuses a plain-http issuer; this measurement-only switch allows it on loopback
    YEON_LOOPBACK_HTTP_ISSUER: 'true',
    // production serves /metrics only behind a bearer token
    YEON_METRICS_TOKEN: randomBytes(32).toString('base64url'),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `url` until it answers 200; returns ms since `startedAt`. Bounded by `timeoutMs`. */
export async function waitFor200(url: string, startedAt: number, timeoutMs = 30_000): Promise<number> {
  const deadline = startedAt + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

/**
 * CPU time (user + system, all threads) a process has used so far, in ms (Linux /proc, 100 ticks/s).
 * Unlike wall time it hardly grows when other processes share the cores, so it compares starts on
 * a busy machine.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface Running {
  child: ChildProcess;
  url: string;
  /** ms from spawn to the first 200 on the health URL */
  readyMs: number;
  /** for yeon: the child's CPU time (ms, all threads) when the first 200 arrived */
  readyCpuMs?: number;
  /** for yeon: whether bin/yeon ran the build in dist/ or the sources through tsx, and why */
  runs?: { mode: 'dist' | 'source'; reason: string };
  stop(): Promise<void>;
}

function stopper(child: ChildProcess) {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(timer);
  };
}

function collectStderr(child: ChildProcess): () => string {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return () => err;
}

/**
 * Starts `bin/yeon serve` on YEON_PORT (or a free loopback port) and waits for /healthz.
 * `runs` says which code bin/yeon chose (scripts/dist-entry.mjs, the same check it makes itself).
 * `nodeArgs` go to node before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses).
 */
export async function startYeon(env: Record<string, string>, nodeArgs: string[] = []): Promise<Running> {
  const port = env.YEON_PORT ? Number(env.YEON_PORT) : await freePort();
  const childEnv = { ...process.env, ...env, YEON_PORT: String(port), YEON_HOST: '127.0.0.1' };
  const { mode, reason } = yeonRuns(childEnv, ROOT);
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/yeon'), 'serve'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr = collectStderr(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await Promise.race([
      waitFor200(`${url}/healthz`, started),
      new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`yeon exited (${code}): ${stderr()}`))),
      ),
    ]);
    const readyCpuMs = cpuMs(child.pid!);
    return { child, url, readyMs, readyCpuMs, runs: { mode, reason }, stop: stopper(child) };
  } catch (err) {
    await stopper(child)();
    throw err;
  }
}

/**
 * Starts a TypeScript baseline server (prints `PORT <n>` on stdout when listening); `nodeArgs` go
 * to node before the script (e.g. `--cpu-prof`).
 */
export async function startScript(
  script: string,
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = collectStderr(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}): ${stderr()}`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    readyMs: performance.now() - started,
    stop: stopper(child),
  };
}

/** Runs a TypeScript script to completion and parses the last stdout line as JSON. */
export function runJson<T>(
  script: string,
  input: unknown,
  options: { timeoutMs?: number; args?: string[]; env?: Record<string, string> } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, script), ...(options.args ?? [])],
      {
        cwd: ROOT,
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const stderr = collectStderr(child);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // 'close', not 'exit': it comes after stdout has been read to the end.
    child.once('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script} exited (${code}): ${stderr()}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON: ${out.slice(-500)} ${stderr()}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
