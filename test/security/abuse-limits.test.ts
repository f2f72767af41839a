/**
 * Abuse limits (OWASP ASVS V11.1.4 anti-automation): anonymous `/oauth/authorize` cannot grow the
 * database without bound, "Send test notification" is for owners and admins with a cooldown per
 * app, and production refuses plain-http app URLs. Counts live in the database, so the limits hold
 * across instances.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/create-db.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { plainHttpInProduction } from '../../src/modules/apps/apps.validation.ts';
import { purgeExpiredOidcPayloads } from '../../src/oidc/kysely-adapter.ts';
import { laneEnv, run } from '../cli/cli-process.ts';
import { Agent } from '../helpers/agent.ts';
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

  it('a forged X-Forwarded-For does not reset the count unless YEON_TRUST_PROXY trusts it', async (t) => {
    const forwarded = (app: FastifyInstance, url: string, forwardedFor: string) =>
      app.inject({
        method: 'GET',
        url,
        remoteAddress: '192.0.2.50',
        headers: { accept: 'text/html', 'accept-language': 'en', 'x-forwarded-for': forwardedFor },
      });
    const direct = await buildTestApp(t, { env: { YEON_AUTHORIZE_MAX_PER_IP: String(CAP) } });
    const directUrl = authorizeUrl((await createClientApp(direct.app)).rest_api_key).url;
    const statuses: number[] = [];
    for (let i = 1; i <= CAP + 1; i++)
      statuses.push((await forwarded(direct.app, directUrl, `198.51.100.${i}`)).statusCode);
    assert.deepEqual(statuses, [...Array(CAP).fill(303), 429]);

    // behind a trusted proxy, the forwarded address is the client's, and each has its own count
    const proxied = await buildTestApp(t, {
      env: { YEON_AUTHORIZE_MAX_PER_IP: String(CAP), YEON_TRUST_PROXY: 'true' },
    });
    const proxiedUrl = authorizeUrl((await createClientApp(proxied.app)).rest_api_key).url;
    for (let i = 1; i <= CAP + 1; i++)
      assert.equal((await forwarded(proxied.app, proxiedUrl, `198.51.100.${i}`)).statusCode, 303);
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

/** A loopback unlink receiver that counts what reaches it. */
async function receiver(t: TestContext): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits += 1;
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/unlink`, hits: () => hits };
}

const COOLDOWN_S = 30;

async function teamWithCallback(t: TestContext) {
  const clock = fakeClock();
  const { app, db } = await buildTestApp(t, {
    clock,
    env: { YEON_TEST_NOTIFICATION_COOLDOWN_SECONDS: String(COOLDOWN_S) },
  });
  const rx = await receiver(t);
  const people: Record<'owner' | 'admin' | 'member', { id: string; email: string }> = {
    owner: { id: '', email: 'owner@example.com' },
    admin: { id: '', email: 'admin@example.com' },
    member: { id: '', email: 'member@example.com' },
  };
  for (const [role, person] of Object.entries(people)) {
    person.id = (
      await app.services.accounts.signUp({
        email: person.email,
        password: 'correct horse battery',
        nickname: role,
      })
    ).id;
  }
  const created = await app.services.apps.createApp(
    { accountId: people.owner.id },
    {
      name: 'Cooldown app',
      redirect_uris: ['https://rp.example/callback'],
      unlink: { callback_url: rx.url, method: 'POST', state: 'active' },
    },
  );
  for (const role of ['admin', 'member'] as const) {
    await db
      .insertInto('app_members')
      .values({ app_id: created.app_id, account_id: people[role].id, role, created_at: clock.now() })
      .execute();
  }
  const tokens = app.services.developerTokens;
  const api = async (role: keyof typeof people) => {
    const { token } = await tokens.createToken(people[role].id);
    return () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/apps/${created.app_id}/unlink/test`,
        headers: { accept: 'application/json', 'accept-language': 'en', authorization: `Bearer ${token}` },
      });
  };
  return { app, db, clock, rx, people, appId: created.app_id, api };
}

async function outboxRows(db: Db): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('"Send test notification" is for owners and admins, once per cooldown per app', () => {
  it('a member is refused with 403 on the API and in the console, and nothing is sent', async (t) => {
    const { app, rx, people, appId, api } = await teamWithCallback(t);
    const res = await (await api('member'))();
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().error.code, 'forbidden');

    const member = new Agent(app, { 'accept-language': 'en' });
    await member.login(people.member.email);
    const page = await member.get(`/developers/apps/${appId}/unlink`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, new RegExp(`action="/developers/apps/${appId}/unlink/test"`));
    const posted = await member.post(`/developers/apps/${appId}/unlink/test`, {});
    assert.equal(posted.statusCode, 403);
    assert.equal(rx.hits(), 0);
  });

  it('a second send within the cooldown is refused with 429 and Retry-After, sends nothing and stores nothing; after the cooldown it works', async (t) => {
    const { db, clock, rx, api } = await teamWithCallback(t);
    const asOwner = await api('owner');
    const asAdmin = await api('admin');

    const first = await asOwner();
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().ok, true);
    assert.equal(rx.hits(), 1);
    // The test that went out is in the delivery log; the refused one below adds nothing.
    const outboxBefore = await outboxRows(db);

    clock.advance(10_000);
    // the cooldown is the app's, whoever presses the button
    const again = await asAdmin();
    assert.equal(again.statusCode, 429, again.body);
    assert.equal(again.json().error.code, 'test_notification_cooldown');
    assert.equal(
      again.json().error.message,
      'A test notification was sent moments ago. Try again in 20 seconds.',
    );
    assert.equal(again.headers['retry-after'], '20');
    assert.equal(rx.hits(), 1, 'nothing was sent');
    assert.equal(await outboxRows(db), outboxBefore, 'no outbox row');

    clock.advance(COOLDOWN_S * 1000 - 10_000);
    const later = await asAdmin();
    assert.equal(later.statusCode, 200, later.body);
    assert.equal(rx.hits(), 2);
  });

  it("the console shows the cooldown on the page, in the person's language", async (t) => {
    const { app, clock, rx, people, appId } = await teamWithCallback(t);
    const owner = new Agent(app, { 'accept-language': 'ko' });
    await owner.login(people.owner.email);
    await owner.get(`/developers/apps/${appId}/unlink`);
    const sent = await owner.post(`/developers/apps/${appId}/unlink/test`, {});
    assert.equal(sent.statusCode, 303);
    clock.advance(5_000);
    await owner.get(`/developers/apps/${appId}/unlink`);
    const refused = await owner.post(`/developers/apps/${appId}/unlink/test`, {});
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /방금 테스트 알림을 보냈습니다\. 25초 뒤에 다시 보내 주세요\./);
    assert.equal(rx.hits(), 1);
  });
});

const PRODUCTION = {
  YEON_ENV: 'production',
  YEON_ISSUER: 'https://id.example.com',
  // callbacks on loopback are allowed here, so only the http rule can refuse them
  YEON_OUTBOUND_ALLOW: '127.0.0.0/8',
};
const PLAIN_HTTP_CALLBACK = 'http://127.0.0.1:9/unlink';

async function apiAs(app: FastifyInstance) {
  const person = await app.services.accounts.signUp({
    email: 'dev@example.com',
    password: 'correct horse battery',
    nickname: 'Dev',
  });
  const { token } = await app.services.developerTokens.createToken(person.id);
  const call = (method: 'POST' | 'PUT', url: string, payload: object) =>
    app.inject({
      method,
      url,
      payload,
      headers: { accept: 'application/json', 'accept-language': 'en', authorization: `Bearer ${token}` },
    });
  return { person, call };
}

function issueOf(res: { json(): unknown }, field: string): string | undefined {
  const issues = (res.json() as { error?: { issues?: Array<{ field: string; message: string }> } }).error
    ?.issues;
  return issues?.find((i) => i.field === field)?.message;
}

describe('production refuses plain-http app URLs as they are typed', () => {
  it('the API refuses a plain-http unlink callback and non-loopback http redirect URIs in production, with a field error; loopback redirect URIs pass', async (t) => {
    const { app } = await buildTestApp(t, { env: PRODUCTION });
    const { call } = await apiAs(app);
    const created = await call('POST', '/api/v1/apps', {
      name: 'Native app',
      redirect_uris: ['http://127.0.0.1:8123/cb', 'http://[::1]:8123/cb', 'http://localhost:3000/cb'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const base = `/api/v1/apps/${created.json().app_id}`;

    const callback = await call('PUT', `${base}/unlink`, {
      callback_url: PLAIN_HTTP_CALLBACK,
      method: 'POST',
      state: 'active',
    });
    assert.equal(callback.statusCode, 400, callback.body);
    assert.equal(
      issueOf(callback, 'callback_url'),
      `“${PLAIN_HTTP_CALLBACK}” uses plain http. In production an unlink callback URL must start with https://.`,
    );
    const secure = await call('PUT', `${base}/unlink`, {
      callback_url: 'https://127.0.0.1:9/unlink',
      method: 'POST',
      state: 'active',
    });
    assert.equal(secure.statusCode, 200, secure.body);

    const withHttp = await call('POST', '/api/v1/apps', {
      name: 'Web app',
      redirect_uris: ['http://shop.example.com/cb'],
      unlink: { callback_url: PLAIN_HTTP_CALLBACK, method: 'POST', state: 'active' },
    });
    assert.equal(withHttp.statusCode, 400);
    assert.match(issueOf(withHttp, 'redirect_uris') ?? '', /must use https:\/\//);
    assert.match(
      issueOf(withHttp, 'callback_url') ?? '',
      /In production an unlink callback URL must start with https/,
    );
  });

  it('development keeps accepting a plain-http unlink callback', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_ENV: 'development' } });
    const { call } = await apiAs(app);
    const created = await call('POST', '/api/v1/apps', {
      name: 'Local app',
      redirect_uris: ['http://localhost:3000/cb'],
      unlink: { callback_url: PLAIN_HTTP_CALLBACK, method: 'POST', state: 'active' },
    });
    assert.equal(created.statusCode, 201, created.body);
  });

  it("the console shows the refusal on the unlink form in production, in the person's language", async (t) => {
    const { app } = await buildTestApp(t, { env: PRODUCTION });
    const { person } = await apiAs(app);
    const created = await app.services.apps.createApp(
      { accountId: person.id },
      { name: 'Console app', redirect_uris: ['https://rp.example/cb'] },
    );
    const owner = new Agent(app, { 'accept-language': 'ko' });
    await owner.login('dev@example.com');
    await owner.get(`/developers/apps/${created.app_id}/unlink`);
    const res = await owner.post(`/developers/apps/${created.app_id}/unlink`, {
      callback_url: PLAIN_HTTP_CALLBACK,
      method: 'POST',
      state: 'active',
      format: 'kakao',
    });
    assert.equal(res.statusCode, 400);
    assert.ok(
      res.body.includes('운영 환경에서는 연결 해제 콜백 URL이 https://로 시작해야 합니다.'),
      res.body.slice(0, 2000),
    );
    const detail = await app.services.apps.getAppDetail({ accountId: person.id }, created.app_id);
    assert.equal(detail.unlink.callback_url, null, 'nothing saved');
  });

  it('the CLI refuses a plain-http unlink callback in production, naming the option', async (t) => {
    const { env } = await laneEnv(t);
    const prod = {
      ...env,
      ...PRODUCTION,
      YEON_COOKIE_SECRET: 'Vq3n8Zr1-Lk0pWx7_Ty5Bc2Md9Fs4Gh6J',
      YEON_METRICS: 'false',
    };
    const user = await run(
      ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
      prod,
    );
    assert.equal(user.code, 0, user.stderr);
    const res = await run(
      [
        'app',
        'create',
        '--name',
        'Shop',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'https://shop.example.com/cb',
        '--unlink-url',
        PLAIN_HTTP_CALLBACK,
      ],
      prod,
    );
    assert.notEqual(res.code, 0);
    assert.match(
      res.stderr,
      /--unlink-url: .*uses plain http\. In production an unlink callback URL must start with https:\/\//,
    );
  });

  it('only plain http is refused: loopback redirect URIs and native custom schemes pass (RFC 8252 §7.1, §7.3)', () => {
    for (const uri of [
      'http://127.0.0.1:51004/cb',
      'http://[::1]:8080/',
      'http://localhost/cb',
      'kakao0123abcd://oauth',
      'https://shop.example.com/cb',
    ])
      assert.equal(plainHttpInProduction('redirect_uri', uri), false, uri);
    for (const uri of [
      'http://shop.example.com/cb',
      'HTTP://shop.example.com/cb',
      'http://127.0.0.2.nip.io/cb',
    ])
      assert.equal(plainHttpInProduction('redirect_uri', uri), true, uri);
    assert.equal(plainHttpInProduction('unlink_callback_url', 'http://127.0.0.1:9/unlink'), true);
    assert.equal(plainHttpInProduction('unlink_callback_url', 'https://hooks.example.com/unlink'), false);
  });
});
