/**
 * Abuse limits (OWASP ASVS V11.1.4 anti-automation): anonymous `/oauth/authorize` cannot grow the
 * database without bound, "Send test notification" is for owners and admins with a cooldown per
 * app, and production refuses plain-http app URLs. Counts live in the database, so the limits hold
 * across instances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/create-db.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { purgeExpiredOidcPayloads } from '../../src/oidc/kysely-adapter.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { authorizeUrl, createClientApp } from '../interaction/interaction-fixtures.ts';

const CAP = 5;
const WINDOW_MINUTES = 10;

async function interactionRows(db: Db): Promise<number> {
  const row = await db
    .selectFrom('oidc_payloads')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('model', '=', 'Interaction')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function authorizeFrom(app: FastifyInstance, url: string, ip: string, language = 'en') {
  return app.inject({
    method: 'GET',
    url,
    remoteAddress: ip,
    headers: { accept: 'text/html', 'accept-language': language },
  });
}

describe('anonymous /oauth/authorize is capped per address', () => {
  it('past the cap an address gets 429 with Retry-After and a page, no redirect, and no more Interaction rows; another address is unaffected', async (t) => {
    const clock = fakeClock();
    const { app, db } = await buildTestApp(t, {
      clock,
      env: { YEON_AUTHORIZE_MAX_PER_IP: String(CAP), YEON_AUTHORIZE_WINDOW_MINUTES: String(WINDOW_MINUTES) },
    });
    const client = await createClientApp(app);
    const { url } = authorizeUrl(client.rest_api_key);

    for (let i = 0; i < CAP; i++) {
      const res = await authorizeFrom(app, url, '203.0.113.7');
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      assert.match(String(res.headers.location), /^\/oauth\/interaction\//);
    }
    assert.equal(await interactionRows(db), CAP);

    for (let i = 0; i < 3; i++) {
      const refused = await authorizeFrom(app, url, '203.0.113.7');
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.headers.location, undefined);
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.ok(Number(refused.headers['retry-after']) <= WINDOW_MINUTES * 60);
      assert.match(String(refused.headers['content-type']), /text\/html/);
      assert.match(refused.body, /Too many sign-in attempts have come from your network/);
    }
    assert.equal(await interactionRows(db), CAP, 'refused requests store nothing');

    const korean = await authorizeFrom(app, url, '203.0.113.7', 'ko');
    assert.equal(korean.statusCode, 429);
    assert.match(korean.body, /로그인 요청이 너무 많이 들어왔습니다/);

    const other = await authorizeFrom(app, url, '198.51.100.9');
    assert.equal(other.statusCode, 303);
    assert.equal(await interactionRows(db), CAP + 1);

    // the next window allows the address again
    clock.advance(WINDOW_MINUTES * 60_000);
    assert.equal((await authorizeFrom(app, url, '203.0.113.7')).statusCode, 303);
  });

  it('counts an IPv6 client by its /64, so rotating addresses inside it does not reset the count', async (t) => {
    const { app, db } = await buildTestApp(t, { env: { YEON_AUTHORIZE_MAX_PER_IP: String(CAP) } });
    const client = await createClientApp(app);
    const { url } = authorizeUrl(client.rest_api_key);
    const statuses: number[] = [];
    for (let i = 1; i <= CAP + 3; i++) {
      statuses.push((await authorizeFrom(app, url, `2001:db8:1:2::${i.toString(16)}`)).statusCode);
    }
    assert.deepEqual(statuses, [...Array(CAP).fill(303), 429, 429, 429]);
    assert.equal(await interactionRows(db), CAP);
    assert.equal((await authorizeFrom(app, url, '2001:db8:1:3::1')).statusCode, 303);
  });

  it('a request that opens no login page (an unknown app) does not use up the allowance', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_AUTHORIZE_MAX_PER_IP: String(CAP) } });
    const client = await createClientApp(app);
    const unknown = authorizeUrl('no-such-client').url;
    for (let i = 0; i < CAP + 3; i++) {
      const res = await authorizeFrom(app, unknown, '203.0.113.8');
      assert.notEqual(res.statusCode, 429);
      assert.equal(res.headers.location, undefined, 'an unknown client never redirects');
    }
    const { url } = authorizeUrl(client.rest_api_key);
    assert.equal((await authorizeFrom(app, url, '203.0.113.8')).statusCode, 303);
  });

  it('an interaction lives ten minutes, and the housekeeping sweep deletes it once expired', async (t) => {
    const clock = fakeClock();
    const { app, db } = await buildTestApp(t, { clock });
    const client = await createClientApp(app);
    const { url } = authorizeUrl(client.rest_api_key);
    const started = clock.now();
    assert.equal((await authorizeFrom(app, url, '203.0.113.9')).statusCode, 303);
    const row = await db
      .selectFrom('oidc_payloads')
      .select('expires_at')
      .where('model', '=', 'Interaction')
      .executeTakeFirstOrThrow();
    assert.equal(Number(row.expires_at) - started, 10 * 60_000);

    assert.equal(await purgeExpiredOidcPayloads(db, clock.now()), 0);
    clock.advance(10 * 60_000);
    assert.ok((await purgeExpiredOidcPayloads(db, clock.now())) >= 1);
    assert.equal(await interactionRows(db), 0);
  });
});
