/**
 * CSRF: every state-changing form route refuses a missing, wrong or foreign `_csrf`
 * with 403 and changes nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/create-db.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const EMAIL = 'mina@example.com';
const PASSWORD = 'correct horse battery';

/** POST a form with the agent's cookies, and exactly the fields given (no automatic token). */
function postRaw(
  app: FastifyInstance,
  agent: Agent,
  url: string,
  form: Record<string, string>,
  accept = 'text/html',
) {
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: { accept, 'accept-language': 'en', 'content-type': 'application/x-www-form-urlencoded', cookie },
  });
}

/** Snapshot of everything a form could change. */
async function snapshot(db: Db) {
  return {
    accounts: await db.selectFrom('accounts').selectAll().orderBy('id').execute(),
    sessions: await db.selectFrom('sessions').select(['id_hash', 'expires_at']).orderBy('id_hash').execute(),
  };
}

interface Route {
  url: string;
  signedIn: boolean;
  form: Record<string, string>;
}

const ROUTES: Route[] = [
  {
    url: '/signup',
    signedIn: false,
    form: { email: 'new@example.com', password: PASSWORD, nickname: 'New' },
  },
  { url: '/login', signedIn: false, form: { email: EMAIL, password: PASSWORD } },
  { url: '/logout', signedIn: true, form: {} },
  { url: '/account', signedIn: true, form: { nickname: 'Changed', name: 'Changed Name' } },
];

/** The variants of a bad token: each gets the victim's cookies. */
const BAD_TOKENS: Array<{ name: string; token: (victim: Agent, other: Agent) => string | undefined }> = [
  { name: 'a missing', token: () => undefined },
  { name: 'an empty', token: () => '' },
  { name: 'a wrong', token: (victim) => `${victim.csrf().slice(0, -2)}xx` },
  { name: "another browser's", token: (_victim, other) => other.csrf() },
];

async function setUp(t: Parameters<typeof buildTestApp>[0], route: Route) {
  const { app, db } = await buildTestApp(t);
  const victim = new Agent(app);
  await victim.signUp(EMAIL, PASSWORD, 'Mina');
  if (!route.signedIn) {
    await victim.get('/account');
    assert.equal((await victim.post('/logout', {})).statusCode, 303);
  }
  await victim.get(route.signedIn ? '/account' : route.url);
  const other = new Agent(app);
  await other.get('/login');
  return { app, db, victim, other };
}

describe('CSRF on form routes', () => {
  for (const route of ROUTES) {
    for (const bad of BAD_TOKENS) {
      it(`POST ${route.url} with ${bad.name} token is 403 and changes nothing`, async (t) => {
        const { app, db, victim, other } = await setUp(t, route);
        const token = bad.token(victim, other);
        const before = await snapshot(db);
        const res = await postRaw(app, victim, route.url, {
          ...route.form,
          ...(token === undefined ? {} : { _csrf: token }),
        });
        assert.equal(res.statusCode, 403);
        assert.match(res.body, /not sent from this site/);
        assert.equal(res.headers.location, undefined);
        assert.deepEqual(await snapshot(db), before);
        const sessionCookie = (res.cookies as Array<{ name: string }>).find((c) => c.name === 'yeon_session');
        assert.equal(sessionCookie, undefined, 'no session cookie is set or cleared');
      });
    }

    it(`POST ${route.url} with the right token works (control)`, async (t) => {
      const { app, db, victim } = await setUp(t, route);
      const before = await snapshot(db);
      const res = await postRaw(app, victim, route.url, { ...route.form, _csrf: victim.csrf() });
      assert.equal(res.statusCode, 303);
      assert.notDeepEqual(await snapshot(db), before);
    });
  }

  it('refuses a valid token when the browser has no CSRF cookie', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app);
    await agent.get('/signup');
    const token = agent.csrf();
    agent.cookies.clear();
    const res = await postRaw(app, agent, '/signup', {
      _csrf: token,
      email: 'new@example.com',
      password: PASSWORD,
      nickname: 'New',
    });
    assert.equal(res.statusCode, 403);
  });

  it('sets the CSRF seed cookie only on pages with forms, never on cacheable or API responses', async (t) => {
    const { app } = await buildTestApp(t);
    for (const url of ['/assets/yeon.css', '/healthz', '/readyz', '/metrics']) {
      const res = await app.inject({ url });
      assert.equal(res.headers['set-cookie'], undefined, `${url} sets no cookie`);
    }
    const page = await app.inject({ url: '/login', headers: { accept: 'text/html' } });
    const seed = (page.cookies as Array<{ name: string; value: string }>).find((c) => c.name === 'yeon_csrf');
    assert.ok(seed?.value, '/login sets the seed');
    // The token in the form is the one that matches that cookie.
    const agent = new Agent(app);
    await agent.get('/login');
    const ok = await postRaw(app, agent, '/login', { _csrf: agent.csrf(), email: EMAIL, password: PASSWORD });
    assert.equal(ok.statusCode, 401, 'past CSRF, refused only for the unknown account');
  });

  it('answers API clients with JSON code csrf_invalid', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app);
    await agent.get('/login');
    const res = await postRaw(app, agent, '/login', { email: EMAIL, password: PASSWORD }, 'application/json');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf_invalid');
  });
});
