/**
 * Cookie attributes (RFC 6265bis §4.1.3.2): over https the session, CSRF and device
 * cookies are `__Host-` prefixed, Secure, Path=/, host-only; always HttpOnly and SameSite=Lax.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

/** The raw Set-Cookie line for a cookie name, split into lower-cased attributes. */
function attributes(setCookie: string | string[] | undefined, name: string): Map<string, string> | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = lines.find((l) => l.startsWith(`${name}=`));
  if (!line) return undefined;
  const attrs = new Map<string, string>();
  for (const part of line.split(';').slice(1)) {
    const [k = '', ...v] = part.trim().split('=');
    attrs.set(k.toLowerCase(), v.join('='));
  }
  return attrs;
}

describe('cookies', () => {
  it('are __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ and host-only over https', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_ISSUER: 'https://id.example.com' } });
    const agent = new Agent(app);
    const res = await agent.signUp('mina@example.com');
    assert.equal(res.statusCode, 303);
    for (const name of ['__Host-yeon_session', '__Host-yeon_csrf', '__Host-yeon_device']) {
      const a = attributes(res.headers['set-cookie'], name);
      assert.ok(a, `${name} is set`);
      assert.equal(a.get('path'), '/', `${name} Path=/`);
      assert.ok(a.has('secure'), `${name} Secure`);
      assert.ok(a.has('httponly'), `${name} HttpOnly`);
      assert.equal(a.get('samesite')?.toLowerCase(), 'lax', `${name} SameSite=Lax`);
      assert.equal(a.has('domain'), false, `${name} has no Domain`);
    }
    assert.equal(attributes(res.headers['set-cookie'], 'yeon_session'), undefined);
    assert.ok(agent.cookies.get('__Host-yeon_session'));
    // The prefixed cookie is the one that is read back.
    assert.equal((await agent.get('/account')).statusCode, 200);
    assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
  });

  it('are plain yeon_session without Secure over http, still HttpOnly and SameSite=Lax', async (t) => {
    const { app } = await buildTestApp(t);
    const res = await new Agent(app).signUp('mina@example.com');
    const a = attributes(res.headers['set-cookie'], 'yeon_session');
    assert.ok(a);
    assert.equal(a.has('secure'), false);
    assert.ok(a.has('httponly'));
    assert.equal(a.get('samesite')?.toLowerCase(), 'lax');
    assert.equal(a.get('path'), '/');
    assert.equal(a.has('domain'), false);
    assert.equal(attributes(res.headers['set-cookie'], '__Host-yeon_session'), undefined);
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  it('ignores an unprefixed session cookie when served over https', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_ISSUER: 'https://id.example.com' } });
    const agent = new Agent(app);
    await agent.signUp('mina@example.com');
    const token = agent.cookies.get('__Host-yeon_session');
    const res = await app.inject({
      url: '/account',
      headers: { accept: 'text/html', cookie: `yeon_session=${token}` },
    });
    assert.equal(res.statusCode, 303);
  });
});
