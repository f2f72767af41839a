/**
 * Trusted devices, the Security page and security events, through the real pages on both
 * databases: every browser gets its own device token (only its SHA-256 is stored); forgetting a
 * device takes its exemption from the account-wide login block away at once; "Sign out everywhere
 * else" ends every other session and device; events are listed newest first, in words.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { formatDateIn } from '../../src/i18n/dates.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { hmac, sha256 } from '../../src/lib/crypto.ts';
import { deleteAccount } from '../../src/modules/accounts/account-deletion.ts';
import { deviceLabelOf } from '../../src/modules/security/device-label.ts';
import { DEVICE_IDLE_MS } from '../../src/modules/security/trusted-devices.repo.ts';
import { createDeveloperApp } from '../connected/fixtures.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp, TEST_SECRETS } from '../helpers/build-test-app.ts';

const EMAIL = 'mina@example.com';
const PASSWORD = 'correct horse battery';
const MAX = 3;
const MINUTE = 60_000;
const ENV = { YEON_LOGIN_MAX_FAILURES: String(MAX), YEON_LOGIN_WINDOW_MINUTES: '15' };
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

function browser(app: FastifyInstance, userAgent: string, lang = 'en') {
  return new Agent(app, { 'accept-language': lang, 'user-agent': userAgent });
}

/** A login from `ip` carrying `agent`'s cookies (its device token among them). */
async function loginFrom(app: FastifyInstance, agent: Agent, ip: string, email: string, password: string) {
  await agent.get('/login');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    payload: new URLSearchParams({ _csrf: agent.csrf(), email, password, remember: '1' }).toString(),
    headers: {
      ...agent.headers,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
  for (const c of res.cookies as Array<{ name: string; value: string }>) agent.cookies.set(c.name, c.value);
  return res;
}

/** Wrong passwords from many addresses until the account-wide block (and only it) trips. */
async function tripAccountBlock(app: FastifyInstance, email: string) {
  for (let i = 0; i < 20 * MAX; i++) {
    const res = await loginFrom(app, new Agent(app), `203.0.113.${i + 1}`, email, 'guess');
    if (res.statusCode === 429) return;
  }
  throw new Error('the account-wide block never tripped');
}

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.UTC(2026, 11, 4, 9, 36));
  const { app, db } = await buildTestApp(t, { clock, env: ENV });
  const account = await app.services.accounts.signUp({ email: EMAIL, password: PASSWORD, nickname: 'Mina' });
  const a = browser(app, CHROME_ANDROID);
  const b = browser(app, SAFARI_IPHONE);
  assert.equal((await a.login(EMAIL, PASSWORD, { remember: '1' })).statusCode, 303);
  clock.advance(MINUTE);
  assert.equal((await b.login(EMAIL, PASSWORD, { remember: '1' })).statusCode, 303);
  clock.advance(MINUTE);
  return { app, db, clock, account, a, b };
}

const devicesOf = (app: FastifyInstance, accountId: string) =>
  app.db.selectFrom('trusted_devices').selectAll().where('account_id', '=', accountId).execute();

describe('trusted devices', () => {
  it('gives each browser its own device token, and the database holds only its SHA-256 with a readable label', async (t) => {
    const { app, db, account, a, b } = await setUp(t);
    const tokenA = a.cookies.get('yeon_device')!;
    const tokenB = b.cookies.get('yeon_device')!;
    assert.ok(tokenA && tokenB);
    assert.notEqual(tokenA, tokenB);
    const rows = await devicesOf(app, account.id);
    assert.deepEqual(rows.map((r) => r.token_hash).sort(), [sha256(tokenA), sha256(tokenB)].sort());
    const dump = JSON.stringify([rows, await db.selectFrom('sessions').selectAll().execute()]);
    assert.ok(!dump.includes(tokenA) && !dump.includes(tokenB), 'no token value is stored');
    const labels = rows.map((r) => `${r.browser}/${r.os}`).sort();
    assert.deepEqual(labels, ['Chrome/Android', 'Safari/iPhone']);

    // Signing in again from A keeps A's token: the browser is already known.
    await a.post('/logout', {});
    await a.login(EMAIL, PASSWORD);
    assert.equal(a.cookies.get('yeon_device'), tokenA);
    assert.equal((await devicesOf(app, account.id)).length, 2);
  });

  it("forgetting device A takes away A's exemption from the account-wide block at once, and leaves B's", async (t) => {
    const { app, account, a, b } = await setUp(t);
    await tripAccountBlock(app, EMAIL);
    const stranger = await loginFrom(app, new Agent(app), '198.51.100.1', EMAIL, PASSWORD);
    assert.equal(stranger.statusCode, 429, 'an unknown browser is blocked');
    assert.equal((await loginFrom(app, a, '198.51.100.2', EMAIL, PASSWORD)).statusCode, 303, 'A is exempt');

    await b.get('/account/security');
    const idA = (await devicesOf(app, account.id)).find((d) => d.browser === 'Chrome')!.id;
    const forget = await b.post('/account/security/devices/sign-out', { device: idA });
    assert.equal(forget.statusCode, 303);
    assert.equal(forget.headers.location, '/account/security?done=device');

    assert.equal((await a.get('/account')).statusCode, 303, "A's session ended with its device");
    assert.equal(
      (await loginFrom(app, a, '198.51.100.3', EMAIL, PASSWORD)).statusCode,
      429,
      'A is blocked now',
    );
    assert.equal(
      (await loginFrom(app, b, '198.51.100.4', EMAIL, PASSWORD)).statusCode,
      303,
      'B still gets in',
    );
  });

  it('exempts a device for its own account only, and an old HMAC cookie not at all', async (t) => {
    const { app, a } = await setUp(t);
    const other = 'jun@example.com';
    await app.services.accounts.signUp({ email: other, password: PASSWORD, nickname: 'Jun' });
    await tripAccountBlock(app, other);
    assert.equal((await loginFrom(app, a, '198.51.100.5', other, PASSWORD)).statusCode, 429);

    await tripAccountBlock(app, EMAIL);
    const old = new Agent(app);
    old.cookies.set('yeon_device', hmac(TEST_SECRETS.cookieSecret, `device:${EMAIL}`));
    assert.equal((await loginFrom(app, old, '198.51.100.6', EMAIL, PASSWORD)).statusCode, 429);
  });

  it('"Sign out everywhere else" from B ends A\'s session and A\'s trusted device, and keeps B', async (t) => {
    const { app, account, a, b } = await setUp(t);
    const tokenB = b.cookies.get('yeon_device')!;
    // Someone else's session cannot be ended from here: its id matches nothing of this account's.
    const jun = browser(app, CHROME_ANDROID);
    await jun.signUp('jun@example.com', PASSWORD, 'Jun');
    const junSession = sha256(jun.cookies.get('yeon_session')!);
    await b.get('/account/security');
    await b.post('/account/security/sessions/sign-out', { session: junSession });
    assert.equal((await jun.get('/account')).statusCode, 200);

    const page = await b.get('/account/security');
    assert.match(page.body, /Chrome on Android/);
    assert.match(page.body, /Safari on iPhone<\/strong><span> · This device/);
    const res = await b.post('/account/security/sign-out-others', {});
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/security?done=others');

    const aNext = await a.get('/account');
    assert.equal(aNext.statusCode, 303, "A's next request is logged out");
    assert.match(String(aNext.headers.location), /^\/login/);
    const devices = await devicesOf(app, account.id);
    assert.deepEqual(
      devices.map((d) => d.token_hash),
      [sha256(tokenB)],
    );
    const after = await b.get('/account/security?done=others');
    assert.equal(after.statusCode, 200);
    assert.match(after.body, /You are signed out everywhere else/);
    const listed = after.body.slice(0, after.body.indexOf('Recent activity'));
    assert.doesNotMatch(listed, /Chrome on Android/, 'A is neither a session nor a device any more');
    assert.equal((await jun.get('/account')).statusCode, 200, 'other accounts are untouched');
  });

  it('stops counting a device unused for a year, and the purge removes it', async (t) => {
    const { app, clock, account, a } = await setUp(t);
    clock.advance(DEVICE_IDLE_MS);
    await tripAccountBlock(app, EMAIL);
    assert.equal((await loginFrom(app, a, '198.51.100.7', EMAIL, PASSWORD)).statusCode, 429);
    await app.services.sessions.purgeExpired();
    assert.deepEqual(await devicesOf(app, account.id), []);
  });

  it('ends one session by its Sign out button and leaves the device trusted', async (t) => {
    const { app, account, a, b } = await setUp(t);
    await b.get('/account/security');
    const sessionA = sha256(a.cookies.get('yeon_session')!);
    assert.match(b.lastHtml, new RegExp(`name="session" value="${sessionA}"`));
    // A malformed id (NUL cannot even be sent to PostgreSQL) matches nothing and fails nothing.
    for (const [path, name] of [
      ['sessions', 'session'],
      ['devices', 'device'],
    ] as const) {
      const odd = await b.post(`/account/security/${path}/sign-out`, { [name]: `${sessionA}\u0000` });
      assert.equal(odd.statusCode, 303);
    }
    assert.equal((await a.get('/account')).statusCode, 200);
    assert.equal(
      (await b.post('/account/security/sessions/sign-out', { session: sessionA })).statusCode,
      303,
    );
    assert.equal((await a.get('/account')).statusCode, 303);
    assert.equal((await devicesOf(app, account.id)).length, 2);
  });
});

describe('device labels', () => {
  const cases: Array<[string, string, string]> = [
    [CHROME_ANDROID, 'Chrome', 'Android'],
    [SAFARI_IPHONE, 'Safari', 'iPhone'],
    [
      'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
      'Samsung Internet',
      'Android',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Whale/4.29.282.14 Safari/537.36',
      'Whale',
      'Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      'Edge',
      'Mac',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.8.5',
      'KakaoTalk',
      'iPhone',
    ],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'Linux'],
    ['', '', ''],
  ];
  for (const [ua, browserName, os] of cases) {
    it(`names ${JSON.stringify(ua.slice(0, 40))}… as ${browserName || '(unknown)'} on ${os || '(unknown)'}`, () => {
      assert.deepEqual(deviceLabelOf(ua), { browser: browserName, os });
    });
  }
});

describe('security events', () => {
  it('records new_device_signed_in for an unknown browser and not for a trusted one', async (t) => {
    const { app, account, a } = await setUp(t);
    const kinds = async () =>
      (
        await app.db
          .selectFrom('security_events')
          .select('kind')
          .where('account_id', '=', account.id)
          .execute()
      ).map((r) => r.kind);
    assert.deepEqual(await kinds(), ['new_device_signed_in', 'new_device_signed_in']);
    await a.post('/logout', {});
    await a.login(EMAIL, PASSWORD);
    assert.deepEqual(
      await kinds(),
      ['new_device_signed_in', 'new_device_signed_in'],
      'A is trusted: no event',
    );
    await browser(app, CHROME_ANDROID).login(EMAIL, PASSWORD);
    assert.equal((await kinds()).length, 3, 'a fresh browser with the same User-Agent is a new device');
  });

  it('lists the events newest first, in words, with the device and address, in Korean too', async (t) => {
    const { app, clock, account, b } = await setUp(t);
    const developer = await app.services.accounts.signUp({
      email: 'dev@example.com',
      password: PASSWORD,
      nickname: 'Dev',
    });
    const shop = await createDeveloperApp(app, developer.id, { name: 'Quiet Shop' });
    await app.services.connections.agree({
      accountId: account.id,
      appId: shop.app_id,
      items: ['profile_nickname'],
    });
    clock.advance(MINUTE);
    await app.services.connections.unlink({ accountId: account.id, appId: shop.app_id, by: 'disconnect' });

    const page = await b.get('/account/security');
    const events = page.body.slice(page.body.indexOf('Recent activity'));
    const order = [
      'Disconnected from Quiet Shop',
      'Signed in from a new browser',
      'Signed in from a new browser',
    ];
    let at = 0;
    for (const words of order) {
      const found = events.indexOf(words, at);
      assert.ok(found >= at, `${words} comes next`);
      at = found + words.length;
    }
    assert.ok(
      events.indexOf('Safari on iPhone') < events.indexOf('Chrome on Android'),
      "B's sign-in (later) is listed before A's",
    );
    assert.match(events, /IP address 127\.0\.0\.1/);

    const ko = await b.get('/account/security', { 'accept-language': 'ko' });
    assert.match(ko.body, /Quiet Shop 앱 연결 끊기/);
    assert.match(ko.body, /iPhone의 Safari<\/strong><span> · 지금 사용 중인 기기/);
    // Times as Koreans read them, through the one date formatter (src/i18n/dates.ts).
    assert.ok(ko.body.includes(formatDateIn('ko', 'dateTime', clock.now())));
  });

  it('are deleted with the account', async (t) => {
    const { app, account } = await setUp(t);
    await deleteAccount(app.services, {
      accountId: account.id,
      password: PASSWORD,
      confirmed: true,
      ip: '127.0.0.1',
      trustedDevice: false,
    });
    const left = await app.db
      .selectFrom('security_events')
      .select('id')
      .where('account_id', '=', account.id)
      .execute();
    assert.deepEqual(left, []);
    assert.deepEqual(await devicesOf(app, account.id), []);
  });
});

describe('the Security page', () => {
  it('is linked from the account page and needs a signed-in person', async (t) => {
    const { app, b } = await setUp(t);
    const account = await b.get('/account');
    assert.match(account.body, /href="\/account\/security"/);
    const anonymous = await new Agent(app).get('/account/security');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/login\?next=/);
  });
});
