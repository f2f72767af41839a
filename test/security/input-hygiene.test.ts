/**
 * Hostile input at the edges: where to go after a page (`next`) is always a safe ASCII redirect,
 * emails are one account however they are spelled in Unicode (UAX #15 NFKC, case-folded), and
 * control characters are refused in what people and developers type (OWASP ASVS V5.1.4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeNext } from '../../src/http/pages/safe-next.ts';
import { normalizeEmail } from '../../src/modules/accounts/profile.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { confirmEmail, tokenOfInvitation } from '../helpers/team.ts';
import { kapi, setup } from '../kakao/helpers.ts';

const PASSWORD = 'correct horse battery';

describe('next after a page', () => {
  it('is a path of this site in ASCII, or the fallback', () => {
    assert.equal(safeNext('/%ED%95%9C'), '/%ED%95%9C');
    assert.equal(safeNext('/한?q=한#한'), '/%ED%95%9C?q=%ED%95%9C#%ED%95%9C');
    for (const bad of [
      '%E0%A4%A',
      '/%E0%A4%A',
      '/%FF',
      '/%A',
      '//evil.example',
      '/.//evil.example',
      '/\u0085x',
    ])
      assert.equal(safeNext(bad, '/'), '/', bad);
    assert.equal(safeNext('/oauth/interaction/abc?x=%2F'), '/oauth/interaction/abc?x=%2F');
  });

  it('answers /lang with a safe redirect for non-ASCII, malformed and foreign values', async (t) => {
    const { app } = await buildTestApp(t);
    const cases: Array<[string, string]> = [
      ['/lang?to=ko&next=%E0%A4%A', '/'],
      ['/lang?to=ko&next=/%E0%A4%A', '/'],
      ['/lang?to=ko&next=/%ED%95%9C', '/%ED%95%9C'],
      ['/lang?to=en&next=//evil.example', '/'],
      ['/lang?to=en&next=/%2e%2e/%2e%2e//evil.example', '/'],
      ['/lang?to=en&next=/%FF', '/'],
    ];
    for (const [url, location] of cases) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 200)}`);
      assert.equal(res.headers.location, location, url);
    }
  });

  it('renders /login and /signup without the bad value and redirects safely after the form', async (t) => {
    const { app } = await buildTestApp(t);
    for (const url of ['/signup?next=%E0%A4%A', '/login?next=//evil.example', '/login?next=/%FF']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      assert.equal(res.statusCode, 200, url);
      assert.doesNotMatch(res.body, /name="next"/, url);
    }
    const kept = await app.inject({ url: '/login?next=/%ED%95%9C', headers: { accept: 'text/html' } });
    assert.match(kept.body, /name="next" value="\/%ED%95%9C"/);
    const agent = new Agent(app);
    await agent.get('/signup');
    const signup = await agent.post('/signup', {
      email: 'next@example.com',
      password: PASSWORD,
      nickname: 'Next',
      next: '/한',
    });
    assert.equal(signup.statusCode, 303, signup.body.slice(0, 200));
    assert.equal(signup.headers.location, '/%ED%95%9C');
    await agent.post('/logout', {});
    await agent.get('/login');
    const login = await agent.post('/login', {
      email: 'next@example.com',
      password: PASSWORD,
      next: '/%E0%A4%A',
    });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/account');
  });
});

describe('emails', () => {
  it('fold NFKC and case into one key', () => {
    assert.equal(normalizeEmail('\u212Aim@example.com'), 'kim@example.com');
    assert.equal(normalizeEmail(' ｋｉｍ＠ＥＸＡＭＰＬＥ．ｃｏｍ '), 'kim@example.com');
  });

  it('make one account whatever the Unicode spelling, and log in with either form', async (t) => {
    const { app, db } = await buildTestApp(t);
    const first = new Agent(app);
    assert.equal((await first.signUp('kim@example.com')).statusCode, 303);
    for (const twin of ['\u212Aim@example.com', 'ｋｉｍ@ｅｘａｍｐｌｅ.ｃｏｍ', 'KIM@EXAMPLE.COM']) {
      const res = await new Agent(app).signUp(twin);
      assert.equal(res.statusCode, 409, `${twin}: ${res.statusCode}`);
    }
    const rows = await db.selectFrom('accounts').select('email_normalized').execute();
    assert.deepEqual(
      rows.map((r) => r.email_normalized),
      ['kim@example.com'],
    );
    for (const form of ['\u212Aim@example.com', 'ｋｉｍ@example.com', 'kim@example.com']) {
      const res = await new Agent(app).login(form);
      assert.equal(res.statusCode, 303, form);
    }
    // The CLI and the console find accounts through the same service.
    assert.ok(await app.services.accounts.getByEmail('ｋｉｍ@example.com'));
  });

  it('keep the shown email in NFKC form', async (t) => {
    const { app } = await buildTestApp(t);
    const account = await app.services.accounts.signUp({
      email: 'ｌｅｅ@example.com',
      password: PASSWORD,
      nickname: 'Lee',
    });
    assert.equal(account.email, 'lee@example.com');
  });

  it('are matched by their NFKC form when a console invitation is accepted', async (t) => {
    const { app } = await buildTestApp(t);
    const owner = await app.services.accounts.signUp({
      email: 'own@example.com',
      password: PASSWORD,
      nickname: 'O',
    });
    const kim = await app.services.accounts.signUp({
      email: 'kim@example.com',
      password: PASSWORD,
      nickname: 'K',
    });
    const { token } = await app.services.developerTokens.createToken(owner.id);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers,
      payload: { name: 'A' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const appId = created.json().app_id;
    const invited = await app.inject({
      method: 'POST',
      url: `/api/v1/apps/${appId}/invitations`,
      headers,
      payload: { email: '\u212AIM@example.com', role: 'member' },
    });
    assert.equal(invited.statusCode, 201, invited.body);
    const link = tokenOfInvitation(invited.json().url);
    await confirmEmail(app, 'kim@example.com');
    assert.deepEqual(await app.services.apps.acceptInvitation({ accountId: kim.id }, link), {
      ok: true,
      app_id: appId,
    });
  });
});

describe('control characters', () => {
  it('in a login email are refused like an unknown email, on PostgreSQL too', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app);
    await agent.get('/login');
    const res = await agent.post('/login', { email: 'a\u0000b@example.com', password: PASSWORD });
    assert.equal(res.statusCode, 401, res.body.slice(0, 200));
    assert.equal(await app.services.accounts.getByEmail('a\u0000b@example.com'), undefined);
  });

  it('are refused in emails and nicknames with the form’s own error', async (t) => {
    const { app, db } = await buildTestApp(t);
    for (const [email, nickname] of [
      ['a\u0000b@example.com', 'Nul'],
      ['a\u0085b@example.com', 'Nel'],
      ['ok@example.com', 'Bell\u0007'],
      ['ok2@example.com', 'Line\nbreak'],
    ]) {
      const agent = new Agent(app, { 'accept-language': 'en' });
      const res = await agent.signUp(email!, PASSWORD, nickname);
      assert.equal(res.statusCode, 400, JSON.stringify([email, nickname]));
      assert.match(res.body, /Enter a valid email address|This value is not valid/);
    }
    assert.equal((await db.selectFrom('accounts').select('id').execute()).length, 0);
    await assert.rejects(
      app.services.accounts.signUp({
        email: 'x@example.com',
        password: PASSWORD,
        nickname: 'ok',
        name: 'A\u001bB',
      }),
      (err: { issues?: Array<{ field: string }> }) => err.issues?.[0]?.field === 'name',
    );
  });

  it('are refused in app fields, except line breaks in the description', async (t) => {
    const { app } = await buildTestApp(t);
    const owner = await app.services.accounts.signUp({
      email: 'own@example.com',
      password: PASSWORD,
      nickname: 'O',
    });
    const { token } = await app.services.developerTokens.createToken(owner.id);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    for (const payload of [
      { name: 'A\u0000pp' },
      { name: 'App', company_name: 'Co\r\nX-Injected: 1' },
      { name: 'App', description: 'nul \u0000' },
      { name: 'App', privacy_policy_url: 'https://example.com/a\tb' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/apps', headers, payload });
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
      assert.equal(res.json().error.code, 'validation_failed');
    }
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers,
      payload: { name: 'App', description: 'line one\r\nline two\tend' },
    });
    assert.equal(ok.statusCode, 201, ok.body);
    await assert.rejects(app.services.developerTokens.createToken(owner.id, 'ci\u0000'), /validation/i);
  });

  it('are refused in update_profile properties with Kakao’s -2', async (t) => {
    const { app, token } = await setup(t);
    const res = await kapi(
      app,
      'POST',
      '/v1/user/update_profile',
      { bearer: token },
      {
        properties: JSON.stringify({ mood: 'ok\u0000' }),
      },
    );
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, -2);
  });
});
