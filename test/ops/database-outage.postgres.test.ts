/**
 * PostgreSQL unreachable (a TCP proxy between yeon and the server is cut): every surface answers
 * 503 with Retry-After in its own shape, never 500 — pages a readable page in the visitor's
 * language, the OAuth engine RFC 6749 `temporarily_unavailable`, the Kakao API `{msg, code: -9798}`
 * — /readyz is 503 while /healthz stays 200, and once the proxy relays again the pool reconnects by
 * itself and every answer is the normal one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

async function appBehindProxy(t: { after(fn: () => Promise<void>): void }) {
  const testDb = await createTestDatabase();
  if (testDb.config.kind !== 'postgres') throw new Error('this test runs on the postgres lane only');
  const direct = new URL(testDb.config.url);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const base = loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent', YEON_DB_CONNECT_TIMEOUT_MS: '1000' });
  const config = {
    ...base,
    database: { ...testDb.config, url: proxy.urlFor(testDb.config.url), connectTimeoutMs: 1000 },
  };
  const db = createDb(config.database, () => {});
  await migrateToLatest(db);
  const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
  await app.ready();
  t.after(async () => {
    proxy.restore();
    await app.close();
    await db.destroy();
    await proxy.close();
    await testDb.drop();
  });
  return { app, proxy };
}

/** The requests of each surface that need the database; the cookie belongs to a signed-in person. */
function probes(app: FastifyInstance, cookie: string) {
  return {
    page: () =>
      app.inject({ url: '/account', headers: { accept: 'text/html', cookie, 'accept-language': 'ko' } }),
    pageEn: () =>
      app.inject({ url: '/account', headers: { accept: 'text/html', cookie, 'accept-language': 'en' } }),
    token: () =>
      app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload:
          'grant_type=authorization_code&client_id=no-such-key&code=abc&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb',
      }),
    authorize: () =>
      app.inject({
        url: '/oauth/authorize?client_id=no-such-key&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&response_type=code',
        headers: { accept: 'text/html', 'accept-language': 'en' },
      }),
    kakao: () => app.inject({ url: '/v2/user/me', headers: { authorization: 'Bearer not-a-real-token' } }),
    readyz: () => app.inject({ url: '/readyz' }),
    healthz: () => app.inject({ url: '/healthz' }),
  };
}

function assert503(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 503, `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  assert.match(String(res.headers['retry-after']), /^\d+$/, `${what} has Retry-After`);
}

async function cutAndCheck(
  app: FastifyInstance,
  proxy: TcpProxy,
  cookie: string,
  mode: 'refuse' | 'blackhole',
) {
  const p = probes(app, cookie);
  proxy.cut(mode);

  const page = await p.page();
  assert503(page, 'page (ko)');
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /일시적으로 서비스를 이용할 수 없습니다/);
  const pageEn = await p.pageEn();
  assert503(pageEn, 'page (en)');
  assert.match(pageEn.body, /temporarily unavailable/);

  const token = await p.token();
  assert503(token, 'token endpoint');
  assert.equal(token.json().error, 'temporarily_unavailable');

  const authorize = await p.authorize();
  assert503(authorize, 'authorization endpoint');
  assert.match(String(authorize.headers['content-type']), /^text\/html/);
  assert.match(authorize.body, /temporarily unavailable/);

  const kakao = await p.kakao();
  assert503(kakao, 'Kakao API');
  assert.equal(kakao.json().code, -9798);
  assert.equal(typeof kakao.json().msg, 'string');

  assert.equal((await p.readyz()).statusCode, 503);
  assert.equal((await p.healthz()).statusCode, 200);
}

async function recovers(app: FastifyInstance, proxy: TcpProxy, cookie: string) {
  proxy.restore();
  const p = probes(app, cookie);
  // Bounded: the pool reconnects on the next query; 5 s is the promise made in docs/deploy.md.
  const deadline = Date.now() + 5000;
  let ready = await p.readyz();
  while (ready.statusCode !== 200 && Date.now() < deadline) {
    await sleep(100);
    ready = await p.readyz();
  }
  assert.equal(ready.statusCode, 200, 'ready again within 5 s');
  assert.equal((await p.page()).statusCode, 200);
  const token = await p.token();
  assert.equal(token.statusCode, 401, token.body);
  assert.equal(token.json().error_code, 'KOE101');
  assert.equal((await p.kakao()).statusCode, 401);
}

describe('PostgreSQL unreachable', () => {
  it('answers 503 with Retry-After on every surface, readyz 503, healthz 200, and recovers by itself', async (t) => {
    const { app, proxy } = await appBehindProxy(t);
    const agent = new Agent(app);
    const signup = await agent.signUp('outage@example.com');
    assert.equal(signup.statusCode, 303, signup.body.slice(0, 300));
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    assert.equal((await probes(app, cookie).page()).statusCode, 200);

    await cutAndCheck(app, proxy, cookie, 'refuse');
    await recovers(app, proxy, cookie);
  });

  it('fails fast (the pool connect timeout) when the network drops packets, and recovers', async (t) => {
    const { app, proxy } = await appBehindProxy(t);
    const agent = new Agent(app);
    await agent.signUp('blackhole@example.com');
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await cutAndCheck(app, proxy, cookie, 'blackhole');
    await recovers(app, proxy, cookie);
  });

  it('answers 503, not 500, to requests whose connection is cut while they run', async (t) => {
    const { app, proxy } = await appBehindProxy(t);
    const agent = new Agent(app);
    await agent.signUp('midflight@example.com');
    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const p = probes(app, cookie);
    const inFlight = Array.from({ length: 20 }, (_, i) => (i % 2 ? p.page() : p.kakao()));
    proxy.cut();
    for (const res of await Promise.all(inFlight)) {
      assert.ok([200, 401, 503].includes(res.statusCode), `${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.statusCode === 503) assert.ok(res.headers['retry-after']);
    }
    await recovers(app, proxy, cookie);
  });
});
