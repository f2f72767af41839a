/**
 * /api/v1/tokens and token expiry, black-box through app.inject on both databases: a token made
 * with `expires_in_days` 30, 90 or 365 expires then (90 when the field is left out), null never
 * does; any other value is a 400 `validation_failed` naming the field, never a 500, and creates
 * nothing; an expired token is refused with the very 401 a revoked one gets; the OpenAPI document
 * lists the choices.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { signedIn } from '../http/console-helpers.ts';

const DAY = 86_400_000;

function client(app: FastifyInstance, token: string) {
  return (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        accept: 'application/json',
        'accept-language': 'en',
        authorization: `Bearer ${token}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      // Sent as JSON text, so values such as null, false or "" arrive exactly as written.
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.UTC(2026, 11, 6, 9, 0));
  const { app } = await buildTestApp(t, { clock });
  const mina = await signedIn(app, 'mina@example.com');
  const { token } = await app.services.developerTokens.createToken(mina.accountId, 'setup', null);
  return { app, clock, mina, api: client(app, token) };
}

describe('management API: developer token expiry', () => {
  it('creates tokens expiring in 30, 90 or 365 days or never, and 90 days when the field is left out', async (t) => {
    const { clock, api } = await setup(t);
    const now = clock.now();
    for (const [body, expected] of [
      [{ name: 'a', expires_in_days: 30 }, now + 30 * DAY],
      [{ name: 'b', expires_in_days: 90 }, now + 90 * DAY],
      [{ name: 'c', expires_in_days: 365 }, now + 365 * DAY],
      [{ name: 'd', expires_in_days: null }, null],
      [{ name: 'e' }, now + 90 * DAY],
    ] as const) {
      const res = await api('POST', '/api/v1/tokens', body);
      assert.equal(res.statusCode, 201, res.body);
      const made = res.json();
      assert.equal(made.expires_at, expected, JSON.stringify(body));
      assert.equal(made.expired, false);
      assert.match(made.token, /^yeon_dt_/);
    }
    const listed = (await api('GET', '/api/v1/tokens')).json().tokens as Array<{
      name: string;
      expires_at: number | null;
    }>;
    assert.equal(listed.find((x) => x.name === 'd')?.expires_at, null);
    assert.equal(listed.find((x) => x.name === 'a')?.expires_at, now + 30 * DAY);
  });

  it('refuses any other expires_in_days with 400 validation_failed naming the field, and creates nothing', async (t) => {
    const { app, mina, api } = await setup(t);
    for (const bad of [0, 45, -30, 30.5, 366, '30', '30d', 'never', '', false, true, {}, [30], 1e21]) {
      const res = await api('POST', '/api/v1/tokens', { name: 'bad', expires_in_days: bad });
      assert.equal(res.statusCode, 400, `${JSON.stringify(bad)}: ${res.body}`);
      const { error } = res.json();
      assert.equal(error.code, 'validation_failed');
      assert.ok(
        error.issues.some((i: { field: string }) => i.field === 'expires_in_days'),
        `${JSON.stringify(bad)}: ${res.body}`,
      );
    }
    const names = (await app.services.developerTokens.listTokens(mina.accountId)).map((x) => x.name);
    assert.deepEqual(names, ['setup']);
  });

  it('refuses an expired token at once with the same 401 as a revoked one, and lists it as expired', async (t) => {
    const { app, clock, api } = await setup(t);
    const made = (await api('POST', '/api/v1/tokens', { name: 'month', expires_in_days: 30 })).json();
    const revoked = (await api('POST', '/api/v1/tokens', { name: 'gone', expires_in_days: 30 })).json();
    assert.equal((await api('DELETE', `/api/v1/tokens/${revoked.id}`)).statusCode, 204);
    const month = client(app, made.token);

    clock.set(made.expires_at - 1);
    assert.equal((await month('GET', '/api/v1/apps')).statusCode, 200);
    clock.set(made.expires_at);
    const expired = await month('GET', '/api/v1/apps');
    const refused = await client(app, revoked.token)('GET', '/api/v1/apps');
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.headers['www-authenticate'], 'Bearer error="invalid_token"');
    assert.equal(expired.headers['www-authenticate'], refused.headers['www-authenticate']);
    assert.equal(expired.json().error.code, refused.json().error.code);

    const listed = (await api('GET', '/api/v1/tokens')).json().tokens as Array<{
      id: string;
      expired: boolean;
    }>;
    assert.equal(listed.find((x) => x.id === made.id)?.expired, true);
    assert.equal(
      listed.some((x) => x.id === revoked.id),
      false,
    );
  });

  it('documents the choices in the OpenAPI document', async (t) => {
    const { app } = await setup(t);
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const body = doc.paths['/api/v1/tokens'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(body.properties.expires_in_days.enum, [30, 90, 365, null]);
    assert.match(body.properties.expires_in_days.description, /null for never/);
  });
});
