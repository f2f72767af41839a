/**
 * Login rate limit: per (account, address) pair, per address and per account; a clear
 * message with the minutes left; blocks lift by themselves; the real owner's trusted browser is not
 * locked out by a distributed attack; unknown emails behave exactly like real ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const EMAIL = 'mina@example.com';
const PASSWORD = 'correct horse battery';
const MAX = 3;
const MINUTE = 60_000;
const ENV = { YEON_LOGIN_MAX_FAILURES: String(MAX), YEON_LOGIN_WINDOW_MINUTES: '15' };

/** A login attempt from `ip` by a fresh browser (or `agent`), in English. */
async function attempt(app: FastifyInstance, ip: string, email: string, password: string, agent?: Agent) {
  const browser = agent ?? new Agent(app, { 'accept-language': 'en' });
  await browser.get('/login');
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    payload: new URLSearchParams({ _csrf: browser.csrf(), email, password }).toString(),
    headers: {
      accept: 'text/html',
      'accept-language': 'en',
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
    },
  });
  for (const c of res.cookies as Array<{ name: string; value: string }>) browser.cookies.set(c.name, c.value);
  return res;
}

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.now());
  const { app } = await buildTestApp(t, { clock, env: ENV });
  const owner = new Agent(app, { 'accept-language': 'en' });
  await owner.signUp(EMAIL, PASSWORD, 'Mina');
  return { app, clock, owner };
}

describe('login rate limit', () => {
  it(`throttles an (account, address) pair after ${MAX} failures with the minutes left, even for the right password`, async (t) => {
    const { app } = await setUp(t);
    for (let i = 0; i < MAX; i++) {
      assert.equal((await attempt(app, '10.0.0.1', EMAIL, 'wrong password')).statusCode, 401);
    }
    const blocked = await attempt(app, '10.0.0.1', EMAIL, 'wrong password');
    assert.equal(blocked.statusCode, 429);
    assert.match(blocked.body, /Too many failed attempts\. For your safety, please wait 15 minute\(s\)/);
    const right = await attempt(app, '10.0.0.1', EMAIL, PASSWORD);
    assert.equal(right.statusCode, 429, 'the right password is refused while blocked');
    assert.equal(right.headers.location, undefined);
  });

  it('counts down the minutes and lifts the block after the window', async (t) => {
    const { app, clock } = await setUp(t);
    for (let i = 0; i < MAX; i++) await attempt(app, '10.0.0.1', EMAIL, 'wrong password');
    clock.advance(10 * MINUTE);
    const later = await attempt(app, '10.0.0.1', EMAIL, PASSWORD);
    assert.equal(later.statusCode, 429);
    assert.match(later.body, /wait 5 minute\(s\)/);
    clock.advance(5 * MINUTE);
    const res = await attempt(app, '10.0.0.1', EMAIL, PASSWORD);
    assert.equal(res.statusCode, 303, 'the block lifted by itself');
  });

  it('does not extend the block while an attacker keeps trying', async (t) => {
    const { app, clock } = await setUp(t);
    for (let i = 0; i < MAX; i++) await attempt(app, '10.0.0.1', EMAIL, 'wrong password');
    for (let i = 0; i < 5; i++) {
      clock.advance(2 * MINUTE);
      assert.equal((await attempt(app, '10.0.0.1', EMAIL, 'wrong password')).statusCode, 429);
    }
    clock.advance(5 * MINUTE);
    assert.equal((await attempt(app, '10.0.0.1', EMAIL, PASSWORD)).statusCode, 303);
  });

  it('still lets the same email in from another address (the pair is blocked, not the account)', async (t) => {
    const { app } = await setUp(t);
    for (let i = 0; i < MAX; i++) await attempt(app, '10.0.0.1', EMAIL, 'wrong password');
    assert.equal((await attempt(app, '10.0.0.1', EMAIL, PASSWORD)).statusCode, 429);
    assert.equal((await attempt(app, '10.0.0.2', EMAIL, PASSWORD)).statusCode, 303);
  });

  it('throttles one address spraying many accounts', async (t) => {
    const { app } = await setUp(t);
    // Each failure is against a different email, so no pair ever reaches MAX: only the
    // per-address counter can trip (the multiplier is the throttle's business, hence the loop).
    const statuses: number[] = [];
    for (let i = 0; i < 20 * MAX && !statuses.includes(429); i++) {
      statuses.push((await attempt(app, '10.0.0.9', `victim${i}@example.com`, 'guess')).statusCode);
    }
    assert.equal(statuses.at(-1), 429, 'the address was throttled');
    assert.ok(statuses.length > MAX, 'but not before several accounts were tried');
    assert.equal((await attempt(app, '10.0.0.9', EMAIL, PASSWORD)).statusCode, 429);
    assert.equal((await attempt(app, '10.0.0.10', EMAIL, PASSWORD)).statusCode, 303);
  });

  it("blocks a distributed attack on one account, but not the owner's trusted browser", async (t) => {
    const { app, owner } = await setUp(t);
    // Each failure comes from its own address: only the account-wide counter can trip.
    let tripped = false;
    for (let i = 0; i < 20 * MAX && !tripped; i++) {
      tripped = (await attempt(app, `203.0.113.${i + 1}`, EMAIL, 'guess')).statusCode === 429;
    }
    assert.ok(tripped, 'the account-wide limit tripped');
    const stranger = await attempt(app, '198.51.100.7', EMAIL, PASSWORD);
    assert.equal(stranger.statusCode, 429, 'an unknown browser is throttled by the account-wide limit');

    await owner.get('/account');
    assert.equal((await owner.post('/logout', {})).statusCode, 303);
    assert.equal(owner.cookies.get('yeon_session'), undefined);
    const res = await attempt(app, '198.51.100.8', EMAIL, PASSWORD, owner);
    assert.equal(res.statusCode, 303, 'the browser that logged in before still gets in');
    assert.equal((await owner.get('/account')).statusCode, 200);
  });

  it('throttles unknown emails exactly like real ones', async (t) => {
    const { app } = await setUp(t);
    const real: number[] = [];
    const ghost: number[] = [];
    for (let i = 0; i <= MAX; i++) {
      real.push((await attempt(app, '10.0.0.1', EMAIL, 'wrong password')).statusCode);
      ghost.push((await attempt(app, '10.0.0.1', 'nobody@example.com', 'wrong password')).statusCode);
    }
    assert.deepEqual(real, [401, 401, 401, 429]);
    assert.deepEqual(ghost, real);
    const a = await attempt(app, '10.0.0.1', EMAIL, 'x');
    const b = await attempt(app, '10.0.0.1', 'nobody@example.com', 'x');
    const normalize = (html: string) =>
      html.replace(/name="_csrf" value="[^"]*"/, '').replace(/(mina|nobody)@example\.com/g, 'EMAIL');
    assert.equal(normalize(a.body), normalize(b.body));
  });

  it('clears the pair counter after a successful login', async (t) => {
    const { app } = await setUp(t);
    for (let i = 0; i < MAX - 1; i++) await attempt(app, '10.0.0.1', EMAIL, 'wrong password');
    assert.equal((await attempt(app, '10.0.0.1', EMAIL, PASSWORD)).statusCode, 303);
    for (let i = 0; i < MAX - 1; i++) {
      assert.equal((await attempt(app, '10.0.0.1', EMAIL, 'wrong password')).statusCode, 401);
    }
    assert.equal((await attempt(app, '10.0.0.1', EMAIL, PASSWORD)).statusCode, 303);
  });
});
