/**
 * The app-facing notification APIs with the admin key, black-box through
 * app.inject: deletion receipts posted later by the app, and the catch-up list of unlinks with
 * its cursor and delivery state. Errors are Kakao's `{msg, code}` envelope.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { createCallbackApp, enqueueUnlinks, notificationRow, testDispatcher } from './helpers.ts';

async function setup(t: TestContext) {
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock });
  const rx = await startReceiver(t);
  const created = await createCallbackApp(app, `${rx.url}/unlink`);
  const other = await createCallbackApp(app, `${rx.url}/other`);
  return { app, clock, created, other };
}

function call(app: FastifyInstance, adminKey: string | undefined) {
  const authorization = adminKey === undefined ? {} : { authorization: `KakaoAK ${adminKey}` };
  return {
    get: (url: string) => app.inject({ method: 'GET', url, headers: authorization }),
    form: (url: string, form: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url,
        headers: { ...authorization, 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        payload: new URLSearchParams(form).toString(),
      }),
    json: (url: string, body: unknown) =>
      app.inject({ method: 'POST', url, headers: authorization, payload: body as object }),
  };
}

describe('POST /v1/app/notifications/:id/deletion-confirmed', () => {
  it('stores the receipt sent with the admin key, as a form or as JSON', async (t) => {
    const { app, clock, created } = await setup(t);
    const [a, b] = await enqueueUnlinks(app.db, created.app_id, 2, clock.now());
    const api = call(app, created.admin_key);

    const res = await api.form(`/v1/app/notifications/${a}/deletion-confirmed`, {
      confirmation_code: 'DEL-1',
      status_url: 'https://app.example.com/deletions/1',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json() as { id: string; deletion_confirmed_at: string };
    assert.equal(body.id, a);
    assert.equal(body.deletion_confirmed_at, new Date(clock.now()).toISOString());
    const row = await notificationRow(app.db, a!);
    assert.equal(row.deletion_confirmation_code, 'DEL-1');
    assert.equal(row.deletion_status_url, 'https://app.example.com/deletions/1');

    const viaJson = await api.json(`/v1/app/notifications/${b}/deletion-confirmed`, {
      confirmation_code: 'DEL-2',
    });
    assert.equal(viaJson.statusCode, 200, viaJson.body);
    assert.equal((await notificationRow(app.db, b!)).deletion_status_url, null);
  });

  it('answers in Kakao envelopes: bad key -401, bad fields -2, another app’s notification -2', async (t) => {
    const { app, clock, created, other } = await setup(t);
    const [id] = await enqueueUnlinks(app.db, created.app_id, 1, clock.now());
    const url = `/v1/app/notifications/${id}/deletion-confirmed`;
    for (const key of [undefined, 'not-a-key', created.rest_api_key]) {
      const res = await call(app, key).form(url, { confirmation_code: 'X' });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { msg: 'wrong appKey(admin key) type or invalid appKey.', code: -401 });
    }
    const api = call(app, created.admin_key);
    const forms: Array<Record<string, string>> = [
      {},
      { confirmation_code: '   ' },
      { confirmation_code: 'X', status_url: 'javascript:alert(1)' },
      { confirmation_code: 'x'.repeat(201) },
    ];
    for (const form of forms) {
      const res = await api.form(url, form);
      assert.equal(res.statusCode, 400, JSON.stringify(form));
      assert.equal((res.json() as { code: number }).code, -2);
    }
    const foreign = await call(app, other.admin_key).form(url, { confirmation_code: 'X' });
    assert.equal(foreign.statusCode, 400);
    assert.equal((foreign.json() as { code: number }).code, -2);
    assert.equal((await notificationRow(app.db, id!)).deletion_confirmed_at, null, 'nothing stored');
  });
});

describe('GET /v1/app/unlinks', () => {
  it('lists this app’s unlinks oldest first with a stable cursor and their delivery state', async (t) => {
    const { app, clock, created, other } = await setup(t);
    const ids = await enqueueUnlinks(app.db, created.app_id, 5, clock.now());
    await enqueueUnlinks(app.db, other.app_id, 2, clock.now());
    await enqueueUnlinks(app.db, created.app_id, 1, clock.now(), {
      eventType: 'user.linked',
      referrerType: undefined,
    });
    const api = call(app, created.admin_key);
    const fresh = await api.get('/v1/app/unlinks');
    assert.equal((fresh.json() as { elements: unknown[] }).elements.length, 0, 'younger than 5 s: not yet');

    clock.advance(10_000);
    await testDispatcher(app, clock, { appConcurrency: 1 }).tick();
    const seen: string[] = [];
    let url = '/v1/app/unlinks?limit=2';
    let pages = 0;
    let last: { after: string; has_more: boolean; after_url: string | null } | undefined;
    while (url && pages++ < 10) {
      const res = await api.get(url);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as {
        elements: Array<{ id: string; app_id: number; referrer_type: string; delivery: { status: string } }>;
        after: string;
        has_more: boolean;
        after_url: string | null;
      };
      for (const e of page.elements) {
        assert.equal(e.app_id, created.app_id);
        assert.equal(e.referrer_type, 'UNLINK_FROM_APPS');
        seen.push(e.id);
      }
      last = page;
      url = page.after_url ? new URL(page.after_url).pathname + new URL(page.after_url).search : '';
    }
    assert.deepEqual(seen, [...ids].sort());
    assert.equal(last!.has_more, false);
    assert.equal(last!.after, seen.at(-1));

    const first = (await api.get('/v1/app/unlinks?limit=100')).json() as {
      elements: Array<{ id: string; delivery: { status: string; attempts: number } }>;
    };
    const delivered = first.elements.filter((e) => e.delivery.status === 'delivered');
    assert.equal(delivered.length, 1, 'one tick with appConcurrency 1 delivered one');
    assert.equal(delivered[0]!.delivery.attempts, 1);

    const empty = (await api.get(`/v1/app/unlinks?after=${seen.at(-1)}`)).json() as {
      elements: unknown[];
      after: string;
    };
    assert.deepEqual(empty.elements, []);
    assert.equal(empty.after, seen.at(-1), 'the cursor stays put when nothing is new');

    for (const bad of ['limit=0', 'limit=101', 'limit=abc', 'after=%27%3B']) {
      const res = await api.get(`/v1/app/unlinks?${bad}`);
      assert.equal(res.statusCode, 400, bad);
      assert.equal((res.json() as { code: number }).code, -2);
    }
  });
});
