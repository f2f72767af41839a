/**
 * POST /login and POST /logout: safe redirects, no user enumeration, a new session
 * id at every login, 24 h or 30 day sessions, expiry enforced on the server, logout ends the row.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../src/db/create-db.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const EN = { 'accept-language': 'en' };
const PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function sessionRows(db: Db) {
  return db.selectFrom('sessions').selectAll().execute();
}

function setCookie(res: { cookies: unknown }, name: string) {
  return (res.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>).find(
    (c) => c.name === name,
  );
}

/** Pages differ only by their random CSRF token; everything else must be byte-identical. */
function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}

describe('POST /login', () => {
  it('signs in and redirects to a same-site `next`', async (t) => {
    const { app } = await buildTestApp(t);
    await new Agent(app).signUp('mina@example.com');
    const agent = new Agent(app);
    await agent.get('/login?next=%2Faccount%3Ftab%3D1');
    assert.match(agent.lastHtml, /name="next" value="\/account\?tab=1"/);
    const res = await agent.post('/login', {
      email: 'MINA@example.com',
      password: PASSWORD,
      next: '/account?tab=1',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account?tab=1');
    assert.equal((await agent.get('/account')).statusCode, 200);
  });

  for (const next of ['//evil.com', 'https://evil.com/x', '/\\evil.com', '/\t/evil.com', 'javascript:x']) {
    it(`refuses the open redirect next=${JSON.stringify(next)} and goes to /account`, async (t) => {
      const { app } = await buildTestApp(t);
      await new Agent(app).signUp('mina@example.com');
      const agent = new Agent(app);
      await agent.get(`/login?next=${encodeURIComponent(next)}`);
      assert.doesNotMatch(agent.lastHtml, /name="next"/);
      const res = await agent.post('/login', { email: 'mina@example.com', password: PASSWORD, next });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/account');
    });
  }

  it('answers an unknown email and a wrong password with the same status and the same page', async (t) => {
    const { app } = await buildTestApp(t);
    const email = 'someone@example.com';
    const unknown = await new Agent(app, EN).login(email, PASSWORD);
    await new Agent(app).signUp(email, PASSWORD);
    const wrong = await new Agent(app, EN).login(email, 'not the password');
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.statusCode, unknown.statusCode);
    assert.match(unknown.body, /email or password is incorrect/);
    assert.equal(withoutCsrf(wrong.body), withoutCsrf(unknown.body));
    assert.deepEqual(
      Object.keys(wrong.headers)
        .filter((h) => !['date', 'x-request-id', 'set-cookie', 'content-length'].includes(h))
        .sort(),
      Object.keys(unknown.headers)
        .filter((h) => !['date', 'x-request-id', 'set-cookie', 'content-length'].includes(h))
        .sort(),
    );
  });

  it('replaces the session id at login: the session held before no longer works', async (t) => {
    const { app, db } = await buildTestApp(t);
    const agent = new Agent(app);
    await agent.signUp('mina@example.com');
    const before = agent.cookies.get('yeon_session')!;
    const csrfBefore = agent.cookies.get('yeon_csrf')!;
    await agent.get('/login');
    const tokenBefore = agent.csrf();
    await agent.post('/login', { email: 'mina@example.com', password: PASSWORD });
    const after = agent.cookies.get('yeon_session')!;
    assert.ok(after);
    assert.notEqual(after, before);
    assert.notEqual(agent.cookies.get('yeon_csrf'), csrfBefore, 'the CSRF seed is rotated');
    assert.equal((await sessionRows(db)).length, 1, 'the old row is gone');

    const stale = await app.inject({
      url: '/account',
      headers: { accept: 'text/html', cookie: `yeon_session=${before}` },
    });
    assert.equal(stale.statusCode, 303);
    assert.equal((await agent.get('/account')).statusCode, 200);
    // A form token issued before login is useless after it.
    const replay = await agent.post('/logout', { _csrf: tokenBefore });
    assert.equal(replay.statusCode, 403);
  });

  it('never adopts a session id planted before login (session fixation)', async (t) => {
    const { app } = await buildTestApp(t);
    await new Agent(app).signUp('mina@example.com');
    const victim = new Agent(app);
    victim.cookies.set('yeon_session', 'attacker-chosen-value');
    const res = await victim.login('mina@example.com');
    assert.equal(res.statusCode, 303);
    assert.notEqual(victim.cookies.get('yeon_session'), 'attacker-chosen-value');
    const attacker = await app.inject({
      url: '/account',
      headers: { accept: 'text/html', cookie: 'yeon_session=attacker-chosen-value' },
    });
    assert.equal(attacker.statusCode, 303);
  });

  it('gives a browser-session cookie and a 24 h session without "Keep me signed in"', async (t) => {
    const clock = fakeClock(Date.now());
    const { app, db } = await buildTestApp(t, { clock });
    await new Agent(app).signUp('mina@example.com');
    await db.deleteFrom('sessions').execute();
    const agent = new Agent(app);
    const res = await agent.login('mina@example.com');
    const cookie = setCookie(res, 'yeon_session')!;
    assert.equal(cookie.expires, undefined);
    assert.equal(cookie.maxAge, undefined);
    const [row] = await sessionRows(db);
    assert.equal(row!.expires_at - row!.created_at, 24 * HOUR);
    assert.equal(row!.remember, 0);

    clock.advance(24 * HOUR - 60_000);
    assert.equal((await agent.get('/account')).statusCode, 200);
    clock.advance(60_000);
    const expired = await agent.get('/account');
    assert.equal(expired.statusCode, 303, 'an expired session is refused');
    assert.match(String(expired.headers.location), /^\/login\?next=/);
  });

  it('gives a 30 day cookie and a 30 day session with "Keep me signed in"', async (t) => {
    const clock = fakeClock(Date.now());
    const { app, db } = await buildTestApp(t, { clock });
    await new Agent(app).signUp('mina@example.com');
    await db.deleteFrom('sessions').execute();
    const agent = new Agent(app);
    const res = await agent.login('mina@example.com', PASSWORD, { remember: '1' });
    const cookie = setCookie(res, 'yeon_session')!;
    assert.ok(cookie.expires, 'the cookie has Expires');
    const lifetime = cookie.expires.getTime() - clock.now();
    assert.ok(Math.abs(lifetime - 30 * DAY) < 2000, `cookie lives ~30 days (${lifetime} ms)`);
    const [row] = await sessionRows(db);
    assert.equal(row!.expires_at - row!.created_at, 30 * DAY);
    assert.equal(row!.remember, 1);

    clock.advance(29 * DAY);
    assert.equal((await agent.get('/account')).statusCode, 200);
    clock.advance(DAY);
    assert.equal((await agent.get('/account')).statusCode, 303);
  });
});

describe('POST /logout', () => {
  it('deletes the session row, clears the cookie and rotates the CSRF seed', async (t) => {
    const { app, db } = await buildTestApp(t);
    const other = new Agent(app);
    await other.signUp('other@example.com');
    const agent = new Agent(app);
    await agent.signUp('mina@example.com');
    assert.equal((await sessionRows(db)).length, 2);
    const csrfBefore = agent.cookies.get('yeon_csrf');
    await agent.get('/account');
    const res = await agent.post('/logout', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?logged_out=1');
    const cleared = setCookie(res, 'yeon_session')!;
    assert.equal(cleared.value, '');
    assert.notEqual(agent.cookies.get('yeon_csrf'), csrfBefore);
    const rows = await sessionRows(db);
    assert.equal(rows.length, 1, "only this browser's session ended");
    assert.equal((await other.get('/account')).statusCode, 200);
    assert.equal((await agent.get('/account')).statusCode, 303);
  });
});
