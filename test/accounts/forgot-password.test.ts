/**
 * Forgot password end to end, through the real pages, the real mail dispatcher and a real SMTP
 * server on loopback: one answer for every address, a 30-minute single-use link stored hashed,
 * every session ended, a notice mailed, throttled per address and per email, and a mail queued
 * during an SMTP outage arrives once the server is back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { sha256 } from '../../src/lib/crypto.ts';
import { MAIL_RETRY_SCHEDULE } from '../../src/modules/mail/mail-retry.ts';
import { Agent } from '../helpers/agent.ts';
import { EN, linkIn, NEW_PASSWORD, PASSWORD, recoveryApp, withoutCsrf } from './recovery-fixtures.ts';

const EMAIL = 'mina@example.com';
const isReset = (m: ParsedMail) => (m.text ?? '').includes('/reset-password?token=');

async function askForReset(agent: Agent, email: string) {
  await agent.get('/forgot-password');
  return agent.post('/forgot-password', { email });
}

describe('forgot password', () => {
  it('the login page links to it, and the answer is the same bytes for a known and an unknown address', async (t) => {
    const { app } = await recoveryApp(t);
    await new Agent(app).signUp(EMAIL);
    const login = await new Agent(app, EN).get('/login');
    assert.match(login.body, /<a href="\/forgot-password">Forgot password\?<\/a>/);
    const known = await askForReset(new Agent(app, EN), EMAIL);
    const unknown = await askForReset(new Agent(app, EN), 'nobody@example.com');
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.statusCode, 200);
    assert.match(known.body, /If an account uses this address, we sent it a link/);
    assert.equal(withoutCsrf(known.body), withoutCsrf(unknown.body));
    const skip = ['date', 'x-request-id', 'set-cookie', 'content-length'];
    const headers = (h: Record<string, unknown>) =>
      Object.keys(h)
        .filter((k) => !skip.includes(k))
        .sort();
    assert.deepEqual(headers(known.headers), headers(unknown.headers));
  });

  it('the mailed link sets a new password once, ends every session, and mails a notice', async (t) => {
    const { app, db, config, mailsTo } = await recoveryApp(t);
    const owner = new Agent(app, EN);
    await owner.signUp(EMAIL);
    const elsewhere = new Agent(app, EN);
    await elsewhere.login(EMAIL);
    assert.equal((await elsewhere.get('/account')).statusCode, 200);

    await askForReset(new Agent(app, EN), EMAIL);
    const [mail] = (await mailsTo(EMAIL)).filter((m) => isReset(m));
    assert.ok(mail, 'the reset mail arrived');
    const path = linkIn(mail, config.issuer);
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const stored = await db
      .selectFrom('account_tokens')
      .selectAll()
      .where('purpose', '=', 'reset_password')
      .execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.token_hash, sha256(token), 'only the hash is stored');
    assert.equal(stored[0]!.expires_at - stored[0]!.created_at, 30 * 60_000);

    const browser = new Agent(app, EN);
    const page = await browser.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Set a new password/);
    assert.doesNotMatch(page.body, /password_confirm|Confirm password/);
    const weak = await browser.post('/reset-password', { token, username: EMAIL, password: 'password123' });
    assert.equal(weak.statusCode, 400, 'a weak password is refused');
    assert.match(weak.body, /This is a commonly used password/);
    const done = await browser.post('/reset-password', { token, username: EMAIL, password: NEW_PASSWORD });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Your password was changed/);

    assert.equal((await elsewhere.get('/account')).statusCode, 303, 'the other session ended');
    assert.equal((await owner.get('/account')).statusCode, 303, 'every session ended');
    assert.equal((await new Agent(app).login(EMAIL, PASSWORD)).statusCode, 401, 'old password gone');
    assert.equal((await new Agent(app).login(EMAIL, NEW_PASSWORD)).statusCode, 303);

    const again = await new Agent(app, EN).get(path);
    assert.equal(again.statusCode, 400, 'the link works once');
    assert.match(again.body, /expired or was already used/);
    const replayer = new Agent(app, EN);
    await replayer.get('/forgot-password');
    const replay = await replayer.post('/reset-password', {
      token,
      username: EMAIL,
      password: 'another fine phrase',
    });
    assert.equal(replay.statusCode, 400);
    assert.equal(
      (await new Agent(app).login(EMAIL, NEW_PASSWORD)).statusCode,
      303,
      'the replay changed nothing',
    );

    const notice = (await mailsTo(EMAIL)).find((m) => /password was changed/.test(m.subject ?? ''));
    assert.ok(notice, 'the "password changed" notice arrived');
    assert.ok(notice.text?.includes(`${config.issuer}/forgot-password`), 'with a way to secure the account');
    const events = await db.selectFrom('security_events').select('kind').execute();
    assert.ok(events.some((e) => e.kind === 'password_changed'));
  });

  it('a link expires after 30 minutes, a newer link replaces an older one, and housekeeping deletes both', async (t) => {
    const { app, db, config, clock, mailsTo } = await recoveryApp(t);
    await new Agent(app).signUp(EMAIL);
    await askForReset(new Agent(app, EN), EMAIL);
    const first = linkIn(
      (await mailsTo(EMAIL)).find((m) => isReset(m)),
      config.issuer,
    );
    await askForReset(new Agent(app, EN), EMAIL);
    const resets = (await mailsTo(EMAIL)).filter((m) => isReset(m));
    const second = linkIn(resets[1], config.issuer);
    assert.equal((await new Agent(app).get(first)).statusCode, 400, 'the older link was replaced');
    assert.equal((await new Agent(app).get(second)).statusCode, 200);
    clock.advance(30 * 60_000 + 1);
    assert.equal((await new Agent(app).get(second)).statusCode, 400, 'expired after 30 minutes');
    clock.advance(60 * 60_000);
    await app.services.recoveryLimits.purgeExpired();
    const left = await db
      .selectFrom('account_tokens')
      .select('purpose')
      .where('purpose', '=', 'reset_password')
      .execute();
    assert.equal(left.length, 0, 'housekeeping deletes expired links');
    assert.equal(
      (await db.selectFrom('recovery_limits').select('key').execute()).length,
      0,
      'and windows that are over',
    );
  });

  it('is throttled per email, known or not, the same way', async (t) => {
    const { app } = await recoveryApp(t);
    await new Agent(app).signUp(EMAIL);
    const answers = async (email: string) => {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await askForReset(new Agent(app, EN), email)).statusCode);
      return codes;
    };
    assert.deepEqual(await answers(EMAIL), [200, 200, 200, 429]);
    assert.deepEqual(await answers('nobody@example.com'), [200, 200, 200, 429]);
  });

  it('is throttled per address across emails', async (t) => {
    const { app } = await recoveryApp(t);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await askForReset(new Agent(app, EN), `p${i}@example.com`)).statusCode);
    assert.deepEqual(codes, [...Array(10).fill(200), 429]);
  });

  it('a reset asked for while the SMTP server is down is mailed once it is back', async (t) => {
    const fixture = await recoveryApp(t);
    const { app, config, clock } = fixture;
    await new Agent(app).signUp(EMAIL);
    const port = await fixture.stopSmtp();
    const answer = await askForReset(new Agent(app, EN), EMAIL);
    assert.equal(answer.statusCode, 200, 'the page answers while mail is down');
    const down = await fixture.dispatcher.tick();
    assert.ok(down.retried >= 1, 'the send failed and will be retried');
    await fixture.restartSmtp(port);
    assert.equal((await fixture.mailsTo(EMAIL)).length, 0, 'not before its retry time');
    clock.advance(MAIL_RETRY_SCHEDULE[0]!);
    const reset = (await fixture.mailsTo(EMAIL)).find((m) => isReset(m));
    assert.ok(reset, 'the reset mail arrived after the outage');
    const browser = new Agent(app, EN);
    assert.equal((await browser.get(linkIn(reset, config.issuer))).statusCode, 200, 'and its link works');
  });
});
