/**
 * Where the dispatcher runs: inside `yeon serve` unless `YEON_DISPATCHER=off`, and
 * as `yeon worker --once` for one pass; and the delivery settings it reads, each error naming
 * its variable (docs/notifications.md).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { startServer } from '../../src/server.ts';
import { run } from '../cli/cli-process.ts';
import { countByStatus, countingReceiver, produce, sharedDatabase, until } from './processes.ts';

describe('delivery settings', () => {
  it('defaults to the Standard Webhooks schedule, 10 % jitter, a 60 s lease and 16/2 concurrency', () => {
    const { notify } = loadConfig({});
    assert.deepEqual(
      notify.schedule.map((ms) => ms / 1000),
      [5, 300, 1800, 7200, 18_000, 36_000, 36_000, 50_400, 72_000, 86_400],
    );
    assert.equal(notify.jitter, 0.1);
    assert.equal(notify.leaseMs, 60_000);
    assert.deepEqual([notify.concurrency, notify.appConcurrency], [16, 2]);
    assert.equal(notify.autoPauseMs, 5 * 86_400_000);
    assert.equal(notify.inServe, true);
    assert.equal(loadConfig({ YEON_DISPATCHER: 'off' }).notify.inServe, false);
    assert.deepEqual(
      loadConfig({ YEON_NOTIFY_SCHEDULE: '250ms, 1s,1m,1h,1d' }).notify.schedule,
      [250, 1000, 60_000, 3_600_000, 86_400_000],
    );
  });

  it('names the variable when a delivery setting is wrong', () => {
    for (const [env, variable] of [
      [{ YEON_NOTIFY_SCHEDULE: '5s,soon' }, 'YEON_NOTIFY_SCHEDULE'],
      [{ YEON_NOTIFY_SCHEDULE: '5s,0s' }, 'YEON_NOTIFY_SCHEDULE'],
      [{ YEON_NOTIFY_JITTER: '80' }, 'YEON_NOTIFY_JITTER'],
      [{ YEON_DISPATCHER: 'maybe' }, 'YEON_DISPATCHER'],
      [{ YEON_NOTIFY_LEASE_SECONDS: '3' }, 'YEON_NOTIFY_LEASE_SECONDS'],
      [{ YEON_NOTIFY_LEASE_SECONDS: '2', YEON_CALLBACK_TIMEOUT_MS: '2500' }, 'YEON_NOTIFY_LEASE_SECONDS'],
    ] as const)
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && err.variable === variable,
        JSON.stringify(env),
      );
  });
});

describe('where the dispatcher runs', () => {
  it('yeon serve delivers due notifications, unless YEON_DISPATCHER=off', async (t) => {
    const rx = await countingReceiver(t);
    const { db, env, appIds } = await sharedDatabase(t, rx.url, 1);
    const [id] = await produce(db, appIds, 1, { batch: 1, pauseMs: 0 });
    const serveEnv = {
      ...env,
      YEON_ENV: 'test',
      YEON_HOST: '127.0.0.1',
      YEON_PORT: '0',
      YEON_LOG_LEVEL: 'silent',
    };

    const off = await startServer({ ...serveEnv, YEON_DISPATCHER: 'off' });
    assert.equal(off.dispatcher, undefined, 'no dispatcher in this server');
    await off.close();

    const on = await startServer({ ...serveEnv, YEON_NOTIFY_POLL_MS: '50' });
    t.after(() => on.close());
    await until(async () => (await countByStatus(db, 'delivered')) === 1, 'delivery by serve');
    await on.close();
    assert.equal(rx.seen.get(id!), 1);
  });

  it('yeon worker --once claims once, delivers, prints a summary and exits 0', async (t) => {
    const rx = await countingReceiver(t);
    const { db, env, appIds } = await sharedDatabase(t, rx.url, 1);
    const ids = await produce(db, appIds, 2, { batch: 2, pauseMs: 0 });
    const res = await run(['worker', '--once'], env);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout.trim().split('\n').at(-1)!), {
      claimed: 2,
      delivered: 2,
      retried: 0,
      failed: 0,
    });
    assert.deepEqual(
      ids.map((id) => rx.seen.get(id)),
      [1, 1],
    );
  });
});
