import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

describe('sign-up, login and logout pages', () => {
  it('signs up, lands on /account signed in, and logs out on the server', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app);
    const res = await agent.signUp('Mina@Example.com', 'correct horse battery', 'Mina');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const account = await agent.get('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Mina@Example\.com/);

    const sessionCookie = agent.cookies.get('yeon_session');
    assert.ok(sessionCookie);
    await agent.post('/logout', {});
    assert.equal(agent.cookies.get('yeon_session'), undefined);
    // The old cookie no longer opens a session: logout ended it on the server.
    const replay = await app.inject({
      url: '/account',
      headers: { accept: 'text/html', cookie: `yeon_session=${sessionCookie}` },
    });
    assert.equal(replay.statusCode, 303);
    assert.match(String(replay.headers.location), /^\/login\?next=/);
  });
});
