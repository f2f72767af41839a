/**
 * Helpers for tests that run the real `./bin/yeon` as a child process: a clean environment
 * (nothing inherited from YEON_* or DATABASE_URL), a per-test database of the current lane, and
 * bounded waits so a hung child fails the test instead of the suite.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { TEST_ENCRYPTION_KEY } from '../helpers/build-test-app.ts';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../helpers/test-db.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const YEON = path.join(ROOT, 'bin/yeon');
/** Upper bound for one command; only a safety net against hangs, never an assertion. */
const COMMAND_LIMIT_MS = 180_000;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The parent's environment without any yeon setting, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('YEON_') && k !== 'DATABASE_URL' && k !== 'TEST_DB') env[k] = v;
  }
  return { ...env, YEON_LOG_LEVEL: 'warn', ...extra };
}

/**
 * A temp data folder and the lane's database (SQLite inside the folder, or a fresh PostgreSQL db).
 * `beforeDrop` registers cleanups (closing in-process connections) that must run before the
 * database is dropped: `after` hooks run in registration order, and this one is registered first.
 */
export async function laneEnv(t: Pick<TestContext, 'after'>): Promise<{
  env: Record<string, string>;
  dataDir: string;
  testDb: TestDatabase;
  beforeDrop(fn: () => Promise<void>): void;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-cli-'));
  const testDb =
    TEST_DB === 'sqlite'
      ? await createTestDatabase({ sqliteFile: path.join(dataDir, 'yeon.db') })
      : await createTestDatabase();
  const closers: Array<() => Promise<void>> = [];
  t.after(async () => {
    for (const close of closers.reverse()) await close();
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  // On SQLite, leave DATABASE_URL unset so the default (<data dir>/yeon.db) is what runs.
  // The key in-process test apps seal with (TEST_SECRETS), so both sides read each other's secrets.
  const env: Record<string, string> = { YEON_DATA_DIR: dataDir, YEON_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
  if (TEST_DB === 'postgres') Object.assign(env, testDb.env);
  return { env, dataDir, testDb, beforeDrop: (fn) => closers.push(fn) };
}

/** Runs one command to its end; stdin gets `input` (default: nothing) and is then closed. */
export function run(args: string[], env: Record<string, string>, input = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [YEON, ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
      timeout: COMMAND_LIMIT_MS,
    });
    child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Starts a long-running child and collects its output. */
export function start(args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [YEON, ...args], { cwd: ROOT, env: cleanEnv(env) });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => {
    output.stdout += d;
  });
  child.stderr!.on('data', (d) => {
    output.stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const kill = setTimeout(() => child.kill('SIGKILL'), COMMAND_LIMIT_MS);
  kill.unref();
  void exited.then(() => clearTimeout(kill));
  return { child, output, exited };
}

/** Resolves when `predicate(stdout)` holds; rejects if the child exits first or the limit passes. */
export async function waitForOutput<T>(
  proc: ReturnType<typeof start>,
  predicate: (stdout: string) => T | undefined,
): Promise<T> {
  for (let i = 0; i < COMMAND_LIMIT_MS / 50; i++) {
    const value = predicate(proc.output.stdout);
    if (value !== undefined) return value;
    if (proc.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `child output never matched.\nstdout:\n${proc.output.stdout}\nstderr:\n${proc.output.stderr}`,
  );
}
