/**
 * Deliveries reuse keep-alive connections without loosening the SSRF guard
 * (src/modules/outbound/connection-pools.ts), and batched claims and records lose nothing and send
 * nothing twice (delivery.repo.ts `claimDue`, delivery-records.ts). Loopback receivers count the
 * TCP connections they accept; the DNS answers come from a scripted resolver.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { claimDue } from '../../src/modules/notifications/delivery.repo.ts';
import { createRecorder } from '../../src/modules/notifications/delivery-records.ts';
import { ConnectionPools } from '../../src/modules/outbound/connection-pools.ts';
import { deliverOnce } from '../../src/modules/outbound/http-client.ts';
import type { OutboundPolicy } from '../../src/modules/outbound/ssrf-guard.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { spyConnects, startPair, startReceiver } from '../modules/outbound/loopback.ts';
import {
  attemptsOf,
  createCallbackApp,
  enqueueUnlinks,
  notificationRow,
  TEST_NOTIFY,
  testDispatcher,
} from './helpers.ts';

/** A policy whose resolver answers `answer.current`, so a test can change DNS between deliveries. */
function scriptedDns(allow: string[], first: string) {
  const answer = { current: first };
  const policy: OutboundPolicy = { allow, resolve: async () => [answer.current] };
  return { answer, policy };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting: ${what}`);
}

describe('connection reuse', () => {
  it('200 deliveries to one receiver use at most the pool size in connections', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const rx = await startReceiver(t, (_req, res) => res.writeHead(204).end());
    const created = await createCallbackApp(app, `${rx.url}/unlink`);
    const ids = await enqueueUnlinks(app.db, created.app_id, 200, clock.now());
    const dispatcher = testDispatcher(app, clock, { concurrency: 8, appConcurrency: 8 });
    t.after(() => dispatcher.stop());
    let delivered = 0;
    for (let i = 0; i < 100 && delivered < 200; i++) delivered += (await dispatcher.tick()).delivered;
    assert.equal(delivered, 200);
    assert.equal(rx.requests.length, 200);
    assert.ok(rx.connections <= 8, `${rx.connections} connections for 200 deliveries`);
    const seen = new Set(rx.requests.map((r) => String(r.headers['webhook-id'])));
    assert.deepEqual([...seen].sort(), [...ids].sort());
    // Closing the dispatcher closes its pooled sockets.
    await dispatcher.stop();
    await rx.allClosed();
  });

  it('a name that rebinds between two deliveries: a refused address is refused, another allowed one gets its own connection', async (t) => {
    const spy = spyConnects(t);
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const [first, second] = await startPair(t, { host: '127.0.0.1' }, { host: '127.0.0.2' });
    const created = await createCallbackApp(app, `${first.url}/unlink`);
    // The registered name is only ever resolved by the scripted resolver below.
    await app.db
      .updateTable('apps')
      .set({ unlink_callback_url: `http://rebind.test:${first.port}/unlink` })
      .where('id', '=', created.app_id)
      .execute();
    const dns = scriptedDns(['127.0.0.0/8'], '127.0.0.1');
    const dispatcher = testDispatcher(
      app,
      clock,
      {},
      {
        outbound: { policy: dns.policy, timeoutMs: 2000 },
      },
    );
    t.after(() => dispatcher.stop());

    const [a] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    assert.equal((await dispatcher.tick()).delivered, 1);
    assert.equal(first.requests[0]?.headers.host, `rebind.test:${first.port}`);

    // Now the name answers the metadata address: refused, and the first socket (still open in
    // the pool) carries nothing more.
    dns.answer.current = '169.254.169.254';
    const [b] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    assert.equal((await dispatcher.tick()).retried, 1);
    const refused = (await attemptsOf(app.db, b!))[0]!;
    assert.equal(refused.error, 'refused_destination');
    assert.equal(refused.detail, 'metadata 169.254.169.254');
    assert.equal(first.requests.length, 1, 'no request went over the pooled socket');
    assert.equal(first.connections, 1);

    // Another allowed address: a new connection to that address, not the pooled one.
    dns.answer.current = '127.0.0.2';
    const [c] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    assert.equal((await dispatcher.tick()).delivered, 1);
    assert.equal(first.requests.length, 1);
    assert.equal(second.requests.length, 1);
    assert.equal(second.connections, 1);
    assert.equal((await attemptsOf(app.db, c!))[0]?.remote_address, '127.0.0.2');
    assert.equal((await notificationRow(app.db, a!)).status, 'delivered');
    assert.ok(!spy.attempts.includes('169.254.169.254'));
  });

  it('deliverOnce with pools: keep-alive reuse, a bounded number of pools, closed on close()', async (t) => {
    const [one, two] = await Promise.all([startReceiver(t), startReceiver(t)]);
    const policy: OutboundPolicy = { allow: ['127.0.0.0/8'] };
    const pools = new ConnectionPools({ maxPools: 1, connections: 2 });
    t.after(() => pools.close());
    const get = (url: string) => ({ url, method: 'GET' as const, headers: {} });
    for (let i = 0; i < 5; i++) {
      const result = await deliverOnce(get(`${one.url}/a`), { policy, timeoutMs: 2000, pools });
      assert.equal(result.ok, true);
      assert.equal(result.remoteAddress, '127.0.0.1');
    }
    // A socket is handed back a moment after its body ends, so the next may open the second one.
    assert.ok(one.connections <= 2, `${one.connections} connections: at most the pool size`);
    // A second destination evicts the first pool (maxPools 1), which closes its socket.
    assert.equal((await deliverOnce(get(`${two.url}/b`), { policy, timeoutMs: 2000, pools })).ok, true);
    assert.equal(pools.size, 1);
    await one.allClosed();
    await pools.close();
    assert.equal(pools.size, 0);
    await two.allClosed();
  });
});

describe('dropped pooled connections', () => {
  it('a body cut at the size cap closes its connection and retires the pool', async (t) => {
    const endless = await startReceiver(t, (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(16_384, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const pools = new ConnectionPools();
    t.after(() => pools.close());
    const result = await deliverOnce(
      { url: `${endless.url}/u`, method: 'GET', headers: {} },
      { policy: { allow: ['127.0.0.0/8'] }, timeoutMs: 2000, pools, maxResponseBytes: 1024 },
    );
    assert.equal(result.ok, true);
    assert.equal(result.responseTruncated, true);
    assert.equal(pools.size, 0, 'the pool is retired');
    await endless.allClosed();
  });
});

describe('batched claims and records', () => {
  it('two dispatchers on one database deliver every notification exactly once', async (t) => {
    const { app } = await buildTestApp(t);
    const seen = new Map<string, number>();
    const rx = await startReceiver(t, (req, res) => {
      const id = String(req.headers['webhook-id']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      res.writeHead(204).end();
    });
    const apps = await Promise.all([1, 2, 3].map(() => createCallbackApp(app, `${rx.url}/unlink`)));
    const clock = { now: () => Date.now() };
    const ids: string[] = [];
    for (const a of apps) ids.push(...(await enqueueUnlinks(app.db, a.app_id, 100, Date.now())));
    // Long leases and a generous timeout: any second delivery of an id would be a double claim.
    const knobs = { concurrency: 8, appConcurrency: 4, leaseMs: 60_000 };
    const deps = { outbound: { policy: { allow: ['127.0.0.0/8'] }, timeoutMs: 20_000 } };
    const d1 = testDispatcher(app, clock, knobs, { ...deps, owner: 'one' });
    const d2 = testDispatcher(app, clock, knobs, { ...deps, owner: 'two' });
    d1.start();
    d2.start();
    t.after(() => Promise.all([d1.stop(), d2.stop()]));
    const delivered = async () => {
      const row = await app.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'delivered')
        .executeTakeFirstOrThrow();
      return Number(row.n) === ids.length;
    };
    await until(delivered, 'all notifications delivered');
    await Promise.all([d1.stop(), d2.stop()]);
    assert.deepEqual(
      ids.filter((id) => seen.get(id) !== 1),
      [],
      'each delivered once',
    );
    const attempts = await app.db
      .selectFrom('notification_attempts')
      .select(['notification_id', 'worker'])
      .execute();
    assert.equal(attempts.length, ids.length, 'one recorded attempt per notification');
    assert.equal(new Set(attempts.map((a) => a.notification_id)).size, ids.length);
  });
});

describe('batched records', () => {
  it('attempts that finish together are committed in one transaction, each with its outcome', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const created = await createCallbackApp(app, 'http://127.0.0.1:9/unlink');
    const ids = await enqueueUnlinks(app.db, created.app_id, 20, clock.now());
    const now = clock.now();
    const rows = await claimDue(app.db, app.dbKind, {
      now,
      owner: 'rec',
      leaseMs: TEST_NOTIFY.leaseMs,
      limit: 20,
      appConcurrency: 20,
    });
    assert.equal(rows.length, 20);
    let transactions = 0;
    const db = new Proxy(app.db, {
      get(target, prop) {
        if (prop === 'transaction') transactions++;
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const recorder = createRecorder({ db, owner: 'rec', autoPauseMs: TEST_NOTIFY.autoPauseMs, warn() {} });
    const paused = await Promise.all(
      rows.map((row, i) =>
        recorder.record({
          row,
          started: now,
          now,
          result:
            i % 2
              ? { ok: false, status: 503, latencyMs: 3, error: 'http_error' }
              : { ok: true, status: 204, latencyMs: 3 },
          outcome:
            i % 2
              ? { kind: 'retry', error: 'http_error', nextAttemptAt: now + 5000, gone: false }
              : { kind: 'delivered' },
        }),
      ),
    );
    assert.deepEqual(
      paused,
      rows.map(() => undefined),
    );
    assert.equal(transactions, 1, 'one commit for the batch');
    for (const [i, row] of rows.entries()) {
      const stored = await notificationRow(app.db, row.id);
      assert.equal(stored.status, i % 2 ? 'pending' : 'delivered');
      assert.equal(stored.attempts, 1);
      assert.equal(stored.lease_owner, null);
      assert.equal((await attemptsOf(app.db, row.id)).length, 1);
    }
    assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(ids));
  });
});
