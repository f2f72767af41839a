/**
 * Part 4's burst: `BURST_N` (default 2,000) pending unlink notifications over 10
 * apps (outbox rows written while yeon is stopped, multi-row inserts), then yeon starts and its
 * dispatcher drains them to a loopback receiver in its own process; deliveries/s = arrivals /
 * (last − first arrival). Baseline: raw undici POSTs over 16 keep-alive connections (undici's
 * Agent keeps sockets open between requests) from another process to the same receiver, same
 * concurrency. A run that does not finish within RUN_TIMEOUT_S is not a figure.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { createBenchApp, withServices } from '../lib/fixtures.ts';
import { freePort, ROOT, type Running, startYeon } from '../lib/proc.ts';
import { type Figure, series } from '../lib/stats.ts';
import { type Ctx, RUNS } from './http-parts.ts';

const BURST_N = Number(process.env.BENCH_BURST_N ?? 2_000);
/** deliveries/s as a share of the raw keep-alive baseline */
const MIN_RATIO = 0.3;
const APPS = 10;
/** Per drain or baseline run: three times the burst at 100/s (a 10,000 burst takes 100 s at 100/s). */
const RUN_TIMEOUT_S = Math.max(120, Math.ceil((BURST_N * 3) / 100));

function tsx(script: string, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Starts the receiver; resolves its final JSON once `n` arrived (or its timeout). */
async function receiver(port: number, n: number) {
  const child = tsx('bench/load/burst-receiver.ts', [String(port), String(n), String(RUN_TIMEOUT_S)]);
  let out = '';
  // 'close', not 'exit': it comes after the child's stdout has been read to the end.
  const done = new Promise<{ count: number; first: number; last: number }>((resolve, reject) => {
    child.once('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? ''));
      } catch {
        reject(new Error(`receiver printed ${out}`));
      }
    });
  });
  // The caller awaits `done` only after starting yeon: until then, a failure is kept, not reported
  // as unhandled.
  done.catch(() => {});
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('LISTENING')) resolve();
    });
    // a receiver that dies before listening fails the run instead of leaving it waiting
    child.once('close', () => reject(new Error(`receiver ended before listening: ${out}`)));
  });
  return done;
}

/** `n` pending unlink notifications spread over `appIds`, written while yeon is stopped (also bench/tools/profile.ts). */
export async function enqueuePendingUnlinks(env: Record<string, string>, appIds: number[], n: number) {
  const db = createDb(loadConfig(env).database);
  const now = Date.now();
  try {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += 500) {
        const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
          id: randomUUID(),
          app_id: appIds[(i + k) % appIds.length]!,
          event_type: 'user.unlinked',
          referrer_type: 'UNLINK_FROM_APPS',
          app_user_id: 2_000_000_000 + i + k,
          data: '{}',
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          lease_until: null,
          lease_owner: null,
          created_at: now,
          delivered_at: null,
          last_attempt_at: null,
          last_error: null,
          failed_at: null,
          deletion_confirmation_code: null,
          deletion_status_url: null,
          deletion_confirmed_at: null,
        }));
        await trx.insertInto('notifications').values(rows).execute();
      }
    });
  } finally {
    await db.destroy();
  }
}

export async function benchBurst(ctx: Ctx): Promise<Figure[]> {
  const port = await freePort();
  const env = { ...ctx.env, YEON_OUTBOUND_ALLOW: '127.0.0.1/32' };
  const appIds = await withServices(env, async (app) => {
    const owner = await app.services.accounts.signUp({
      email: 'burst-dev@bench.invalid',
      password: 'bench horse battery staple',
      nickname: 'Burst developer',
    });
    const ids: number[] = [];
    for (let i = 0; i < APPS; i++) {
      const created = await createBenchApp(
        app,
        owner.id,
        `Bench Burst App ${i}`,
        `http://127.0.0.1:${port}/ok`,
      );
      ids.push(created.app_id);
    }
    return ids;
  });
  const rates: number[] = [];
  const base: number[] = [];
  let baselineRetries = 0;
  for (let run = 0; run < RUNS; run++) {
    await enqueuePendingUnlinks(env, appIds, BURST_N);
    const arrivals = receiver(port, BURST_N);
    let yeon: Running | undefined;
    try {
      yeon = await startYeon(env);
      const r = await arrivals;
      if (r.count < BURST_N) throw new Error(`only ${r.count} of ${BURST_N} deliveries arrived`);
      rates.push((r.count * 1000) / (r.last - r.first));
    } finally {
      await yeon?.stop();
    }
    const baseArrivals = receiver(port, BURST_N);
    const sender = tsx('bench/baselines/undici-burst.ts', [
      `http://127.0.0.1:${port}/ok`,
      String(BURST_N),
      '16',
    ]);
    // Listened for from the spawn on: the sender may end before the receiver has reported, and a
    // listener added after its 'close' would wait forever (the run then ended with exit code 13).
    const senderClosed = new Promise((r) => sender.once('close', r));
    let sent = '';
    sender.stdout.on('data', (d: Buffer) => {
      sent += d.toString();
    });
    const b = await baseArrivals;
    await senderClosed;
    const report = JSON.parse(sent) as { errors: number; retries: number };
    if (b.count < BURST_N || report.errors) throw new Error(`baseline: ${b.count} arrived, ${sent}`);
    baselineRetries += report.retries;
    base.push((b.count * 1000) / (b.last - b.first));
  }
  const value = series(rates);
  const baseline = series(base);
  return [
    {
      part: '4',
      name: `Burst of ${BURST_N.toLocaleString('en-US')} deliveries/s`,
      unit: '/s',
      value,
      baselineName: 'raw undici POSTs, 16 keep-alive connections',
      baseline,
      ratio: value.median / baseline.median,
      target: `≥ ${MIN_RATIO * 100} % of raw undici keep-alive`,
      met: value.median / baseline.median >= MIN_RATIO,
      note: `N = ${BURST_N}; ${APPS} apps, default dispatcher settings (16 at once, 2 per app), outbox rows written before yeon starts, then drained by a fresh yeon; each attempt resolves and checks the receiver's address (SSRF guard) and is sent on a keep-alive pool pinned to that address (src/modules/outbound/connection-pools.ts), and its outcome is written to the database; the baseline reuses 16 keep-alive connections and writes nothing${baselineRetries ? `; the baseline sent ${baselineRetries} POSTs again after a failed try` : ''}`,
    },
  ];
}
