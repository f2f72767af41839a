/**
 * Real `./bin/yeon worker` processes against the lane's database, a loopback receiver that counts
 * deliveries per `webhook-id`, and an in-process handle on the same database to write outbox rows
 * (the harness kills only its own child PIDs).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { bindKeyring } from '../../src/lib/encryption.ts';
import { createAppsService } from '../../src/modules/apps/apps.service.ts';
import { enqueueNotification } from '../../src/modules/notifications/outbox.repo.ts';
import { checkDestination } from '../../src/modules/outbound/ssrf-guard.ts';
import { laneEnv, start } from '../cli/cli-process.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { insertAccount } from './helpers.ts';

/** Upper bound for waiting on the system under test: a safety net against hangs, not an assertion. */
export const WAIT_LIMIT_MS = 90_000;

export interface CountingReceiver {
  url: string;
  /** deliveries per webhook-id */
  seen: Map<string, number>;
  total(): number;
}

/** Answers 200 after a short random delay, so deliveries overlap and a kill lands mid-flight. */
export async function countingReceiver(
  t: Pick<TestContext, 'after'>,
  maxDelayMs = 15,
): Promise<CountingReceiver> {
  const seen = new Map<string, number>();
  let total = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      seen.set(id, (seen.get(id) ?? 0) + 1);
      total++;
      setTimeout(() => res.end('ok'), Math.floor(Math.random() * maxDelayMs));
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/unlink`,
    seen,
    total: () => total,
  };
}

/**
 * The lane's database (a file for SQLite, so child processes share it), migrated, with `apps`
 * callback apps pointing at `callbackUrl`, and env for workers.
 */
export async function sharedDatabase(t: Pick<TestContext, 'after'>, callbackUrl: string, appCount: number) {
  const lane = await laneEnv(t);
  const config = { ...loadConfig({ YEON_ENV: 'test', ...lane.env }), database: lane.testDb.config };
  const db = createDb(config.database);
  lane.beforeDrop(() => db.destroy());
  // The key the workers get too (lane.env YEON_ENCRYPTION_KEY): they open what this process seals.
  bindKeyring(db, TEST_SECRETS.keyring);
  await migrateToLatest(db);
  // The apps service alone: the whole service graph would load the OAuth engine for nothing.
  const apps = createAppsService({
    db,
    clock: systemClock,
    outboundAllow: config.outboundAllow,
    checkDestination,
  });
  const ownerId = await insertAccount(db, 'crash');
  const appIds: number[] = [];
  for (let i = 0; i < appCount; i++) {
    const created = await apps.createApp(
      { accountId: ownerId },
      { name: `Crash ${i}`, unlink: { callback_url: callbackUrl, method: 'POST', state: 'active' } },
    );
    appIds.push(created.app_id);
  }
  return { db, env: lane.env, appIds, beforeDrop: lane.beforeDrop };
}

/** Writes `count` outbox rows round-robin over the apps, in transactions of `batch`. */
export async function produce(
  db: Db,
  appIds: number[],
  count: number,
  options: { batch: number; pauseMs: number },
): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const n = Math.min(options.batch, count - ids.length);
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        const k = ids.length;
        ids.push(
          await enqueueNotification(trx, {
            appId: appIds[k % appIds.length]!,
            eventType: 'user.unlinked',
            referrerType: 'UNLINK_FROM_APPS',
            appUserId: 2_000_000_000 + k,
            now: Date.now(),
          }),
        );
      }
    });
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
  }
  return ids;
}

export type Worker = ReturnType<typeof start>;

/** Starts `yeon worker`; resolves once its dispatcher logged that it started. */
export async function startWorker(
  t: Pick<TestContext, 'after'>,
  env: Record<string, string>,
): Promise<Worker> {
  const proc = start(['worker'], { ...env, YEON_LOG_LEVEL: 'info' });
  t.after(() => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  });
  await until(() => proc.output.stdout.includes('"dispatcher started"') || proc.child.exitCode !== null);
  if (proc.child.exitCode !== null)
    throw new Error(
      `worker exited early (${proc.child.exitCode}):\n${proc.output.stdout}\n${proc.output.stderr}`,
    );
  return proc;
}

export async function killHard(proc: Worker): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
}

/** Polls `predicate` every 25 ms; throws after WAIT_LIMIT_MS. */
export async function until(predicate: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function countByStatus(db: Db, status: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Short lease and timeout so a killed worker's rows come back within seconds. */
export const FAST_WORKER_ENV = {
  YEON_CALLBACK_TIMEOUT_MS: '1000',
  YEON_NOTIFY_LEASE_SECONDS: '2',
  YEON_NOTIFY_POLL_MS: '50',
  YEON_NOTIFY_CONCURRENCY: '16',
  YEON_NOTIFY_APP_CONCURRENCY: '4',
};
