/**
 * Password throttles under a burst (OWASP ASVS 4.0.3 V2.2.1): an attempt is counted before its
 * password is hashed, so a hundred parallel guesses at one account, on any password form, get at
 * most the configured number verified; the rest are refused with 429 without touching argon2.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const EMAIL = 'mina@example.com';
const PASSWORD = 'correct horse battery';
const MAX = 3;
const SIGNUPS = 4;
const BURST = 100;
const ENV = {
  YEON_LOGIN_MAX_FAILURES: String(MAX),
  YEON_LOGIN_WINDOW_MINUTES: '15',
  YEON_SIGNUP_MAX_PER_IP: String(SIGNUPS),
};

/** Counts the argon2 work the accounts service asks for (it calls through this object). */
function countHashing(app: FastifyInstance) {
  const hasher = app.services.hasher;
  const counts = { verify: 0, hash: 0 };
  const { verify, hash } = hasher;
  hasher.verify = (h, p) => {
    counts.verify++;
    return verify(h, p);
  };
  hasher.hash = (p) => {
    counts.hash++;
    return hash(p);
  };
  return counts;
}

function tally(statuses: number[]) {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const { app } = await buildTestApp(t, { env: ENV });
  const owner = new Agent(app, { 'accept-language': 'en' });
  assert.equal((await owner.signUp(EMAIL, PASSWORD, 'Mina')).statusCode, 303);
  return { app, owner };
}

/** `BURST` form posts fired at once with the same cookies and CSRF token, from `ip(i)`. */
async function burst(
  app: FastifyInstance,
  agent: Agent,
  url: string,
  form: (i: number) => Record<string, string>,
  ip: (i: number) => string = () => '127.0.0.1',
) {
  const csrf = agent.csrf();
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const responses = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      app.inject({
        method: 'POST',
        url,
        remoteAddress: ip(i),
        payload: new URLSearchParams({ _csrf: csrf, ...form(i) }).toString(),
        headers: {
          accept: 'text/html',
          'accept-language': 'en',
          'content-type': 'application/x-www-form-urlencoded',
          cookie,
        },
      }),
    ),
  );
  return tally(responses.map((r) => r.statusCode));
}

describe('password throttles under concurrent requests', () => {
  it(`verifies at most ${MAX} of ${BURST} parallel wrong-password logins at one account from one address`, async (t) => {
    const { app } = await setUp(t);
    const counts = countHashing(app);
    const browser = new Agent(app, { 'accept-language': 'en' });
    await browser.get('/login');
    const statuses = await burst(app, browser, '/login', () => ({ email: EMAIL, password: 'wrong guess' }));
    assert.ok(counts.verify <= MAX, `${counts.verify} passwords were verified`);
    assert.deepEqual(statuses, { 401: counts.verify, 429: BURST - counts.verify });
    assert.ok(counts.verify >= 1);
    // The block holds afterwards, even for the right password.
    const right = await browser.post('/login', { email: EMAIL, password: PASSWORD });
    assert.equal(right.statusCode, 429);
  });

  it(`verifies at most ${4 * MAX} of ${BURST} parallel guesses at one account from ${BURST} addresses`, async (t) => {
    const { app } = await setUp(t);
    const counts = countHashing(app);
    const browser = new Agent(app, { 'accept-language': 'en' });
    await browser.get('/login');
    const statuses = await burst(
      app,
      browser,
      '/login',
      () => ({ email: EMAIL, password: 'wrong guess' }),
      (i) => `203.0.113.${i + 1}`,
    );
    assert.ok(counts.verify <= 4 * MAX, `${counts.verify} passwords were verified`);
    assert.equal(statuses[401], counts.verify);
    assert.equal(statuses[429], BURST - counts.verify);
  });

  it(`verifies at most ${MAX} of ${BURST} parallel wrong passwords on the account deletion form`, async (t) => {
    const { app, owner } = await setUp(t);
    await owner.get('/account/delete');
    const counts = countHashing(app);
    const statuses = await burst(app, owner, '/account/delete', () => ({
      password: 'wrong guess',
      confirm: '1',
    }));
    assert.ok(counts.verify <= MAX, `${counts.verify} passwords were verified`);
    assert.deepEqual(statuses, { 401: counts.verify, 429: BURST - counts.verify });
    assert.equal((await owner.get('/account')).statusCode, 200, 'the account is still there');
  });

  it(`creates at most ${SIGNUPS} of ${BURST} parallel sign-ups from one address`, async (t) => {
    const { app } = await buildTestApp(t, { env: ENV });
    const counts = countHashing(app);
    const browser = new Agent(app, { 'accept-language': 'en' });
    await browser.get('/signup');
    const statuses = await burst(app, browser, '/signup', (i) => ({
      email: `user${i}@example.com`,
      password: PASSWORD,
      nickname: `User ${i}`,
    }));
    assert.ok(counts.hash <= SIGNUPS, `${counts.hash} passwords were hashed`);
    assert.deepEqual(statuses, { 303: counts.hash, 429: BURST - counts.hash });
    // Another address is not held back by this one.
    const other = await app.inject({
      method: 'POST',
      url: '/signup',
      remoteAddress: '198.51.100.7',
      payload: new URLSearchParams({
        _csrf: browser.csrf(),
        email: 'other@example.com',
        password: PASSWORD,
        nickname: 'Other',
      }).toString(),
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    assert.equal(other.statusCode, 303);
  });
});
