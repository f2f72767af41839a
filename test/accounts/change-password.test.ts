/**
 * Change password on /account/password: the current password is required and counted by the login
 * throttle, the new one must pass the strength rules, every other session and trusted device ends
 * while this one stays, the event is recorded and a notice is mailed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent } from '../helpers/agent.ts';
import { EN, NEW_PASSWORD, PASSWORD, recoveryApp } from './recovery-fixtures.ts';

const EMAIL = 'mina@example.com';

async function change(agent: Agent, current: string, next: string) {
  await agent.get('/account/password');
  return agent.post('/account/password', { current_password: current, new_password: next });
}

describe('change password', () => {
  it('keeps this session, ends the others and their trusted devices, records the event and mails a notice', async (t) => {
    const { app, db, config, mailsTo } = await recoveryApp(t);
    const here = new Agent(app, EN);
    await here.signUp(EMAIL);
    const elsewhere = new Agent(app, EN);
    await elsewhere.login(EMAIL);
    const page = await here.get('/account/password');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<label for="current_password">Current password/);
    assert.match(page.body, /<label for="new_password">New password/);
    assert.doesNotMatch(page.body, /Confirm password|password_confirm/);
    assert.match(page.body, /<div class="check" hidden><input type="checkbox" id="new_password-show"/);
    assert.ok((await db.selectFrom('trusted_devices').select('id').execute()).length >= 1);

    const res = await change(here, PASSWORD, NEW_PASSWORD);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/password?done=1');
    assert.equal((await here.get('/account')).statusCode, 200, 'this browser stays signed in');
    assert.equal((await elsewhere.get('/account')).statusCode, 303, 'the other browser is signed out');
    const sessions = await db.selectFrom('sessions').select(['id_hash', 'device_id']).execute();
    assert.equal(sessions.length, 1);
    const devices = await db.selectFrom('trusted_devices').select('id').execute();
    assert.deepEqual(
      devices.map((d) => d.id),
      sessions[0]!.device_id ? [sessions[0]!.device_id] : [],
      'only the kept session’s device stays trusted',
    );
    assert.equal((await new Agent(app).login(EMAIL, NEW_PASSWORD)).statusCode, 303);
    const events = await db.selectFrom('security_events').select('kind').execute();
    assert.ok(events.some((e) => e.kind === 'password_changed'));
    const notice = (await mailsTo(EMAIL)).find((m) => /password was changed/.test(m.subject ?? ''));
    assert.ok(notice, 'the notice arrived');
    assert.ok(notice.text?.includes(`${config.issuer}/forgot-password`));
  });

  it('refuses a wrong current password, and a weak new one with the reason, changing nothing', async (t) => {
    const { app } = await recoveryApp(t);
    const here = new Agent(app, EN);
    await here.signUp(EMAIL);
    const wrong = await change(here, 'not my password', NEW_PASSWORD);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /The current password is incorrect/);
    assert.match(wrong.body, /aria-describedby="current_password-error"/);
    const weak = await change(here, PASSWORD, 'password123');
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /This is a commonly used password/);
    assert.match(weak.body, /aria-describedby="new_password-hint new_password-error"/);
    assert.equal((await new Agent(app).login(EMAIL, PASSWORD)).statusCode, 303, 'the password is unchanged');
  });

  it('counts wrong current passwords in the login throttle, like logins', async (t) => {
    const { app, config } = await recoveryApp(t);
    const here = new Agent(app, EN);
    await here.signUp(EMAIL);
    const codes: number[] = [];
    for (let i = 0; i <= config.login.maxFailures; i++)
      codes.push((await change(here, `wrong guess ${i}`, NEW_PASSWORD)).statusCode);
    assert.deepEqual(codes, [...Array(config.login.maxFailures).fill(400), 429]);
    const blocked = await change(here, PASSWORD, NEW_PASSWORD);
    assert.equal(blocked.statusCode, 429, 'even the right password waits out the block');
  });

  it('needs a signed-in person', async (t) => {
    const { app } = await recoveryApp(t);
    const res = await new Agent(app).get('/account/password');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/login\?next=/);
  });
});
