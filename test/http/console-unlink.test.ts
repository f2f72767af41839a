/**
 * "Send test notification" on the unlink page: a real delivery to a loopback
 * receiver (allowed by the dev/test default allow-list), whose result — status, latency, error,
 * response excerpt, and that it was a test — is shown on the page after the redirect, once.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, detailOf, signedIn, submit } from './console-helpers.ts';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local receiver that records requests and answers with the given status and body. */
async function receiver(t: TestContext, status: number, body: string) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/unlink`, received };
}

async function setUp(t: TestContext, status: number, body: string) {
  const { app } = await buildTestApp(t);
  const mina = await signedIn(app, 'mina@example.com');
  const id = await createAppViaPage(mina);
  const page = `/developers/apps/${id}/unlink`;
  const rx = await receiver(t, status, body);
  const saved = await submit(mina, page, page, {
    callback_url: rx.url,
    method: 'POST',
    state: 'active',
    format: 'kakao',
  });
  assert.equal(saved.statusCode, 303);
  return { app, mina, id, page, rx };
}

describe('developer console: send test notification', () => {
  it('delivers a test to the loopback receiver and shows status, latency and the response once', async (t) => {
    const { mina, id, page, rx } = await setUp(t, 200, 'thanks, deleted nothing');
    const sent = await submit(mina, page, `${page}/test`, {});
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${page}?done=tested#test`);

    assert.equal(rx.received.length, 1);
    const got = rx.received[0]!;
    assert.equal(got.method, 'POST');
    assert.equal(got.headers['x-yeon-test'], '1');
    assert.match(String(got.headers.authorization), /^KakaoAK [0-9a-f]{32}$/);
    const params = new URLSearchParams(got.body);
    assert.equal(params.get('app_id'), String(id));
    assert.equal(params.get('user_id'), '0');

    const shown = await mina.get(`${page}?done=tested`);
    assert.match(shown.body, /id="test-result"/);
    assert.match(shown.body, /Delivered: your server answered HTTP 200\./);
    assert.match(shown.body, /This was a test notification: it named no real user\./);
    assert.match(shown.body, /<dt>Latency<\/dt><dd>\d+ ms<\/dd>/);
    assert.match(shown.body, /thanks, deleted nothing/);
    // Shown once: a reload does not show it again, and nothing was sent again.
    assert.doesNotMatch((await mina.get(page)).body, /id="test-result"/);
    assert.equal(rx.received.length, 1);
  });

  it('shows a failed delivery with its status, and ignores a forged result cookie', async (t) => {
    const { mina, page, rx } = await setUp(t, 500, 'boom');
    await submit(mina, page, `${page}/test`, {});
    const shown = await mina.get(page);
    assert.match(shown.body, /<div class="alert error" role="status" id="test-result">/);
    assert.match(shown.body, /Not delivered\./);
    assert.match(shown.body, /<dt>HTTP status<\/dt><dd>500<\/dd>/);
    assert.equal(rx.received.length, 1);

    const forged = Buffer.from(JSON.stringify({ ok: true, status: 200, excerpt: 'forged' })).toString(
      'base64url',
    );
    mina.cookies.set('yeon_console_test', forged);
    const after = await mina.get(page);
    assert.doesNotMatch(after.body, /forged/);
    assert.doesNotMatch(after.body, /id="test-result"/);
  });

  it('lets an admin send a test, and asks for a callback URL first when there is none', async (t) => {
    const { app, mina, id, page, rx } = await setUp(t, 204, '');
    const admin = await signedIn(app, 'admin@example.com');
    await joinByInvitation(app, { accountId: mina.accountId }, id, {
      email: 'admin@example.com',
      role: 'admin',
    });
    const sent = await submit(admin, page, `${page}/test`, {});
    assert.equal(sent.statusCode, 303);
    assert.match((await admin.get(page)).body, /Delivered: your server answered HTTP 204\./);
    assert.equal(rx.received.length, 1);

    await submit(mina, page, page, { callback_url: '', method: 'POST', state: 'active', format: 'kakao' });
    const none = await mina.get(page);
    assert.match(none.body, /Save a callback URL first to send a test notification\./);
    assert.doesNotMatch(none.body, /unlink\/test/);
  });

  it('rotates the signing secret and shows both secrets, the previous one with its expiry', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}/unlink`;
    const [first] = (await detailOf(app, mina.accountId, id)).unlink.webhook_secrets;
    const rotated = await submit(mina, page, `${page}/rotate-secret`, {});
    assert.equal(rotated.headers.location, `${page}?done=webhook_rotated#signing`);
    const secrets = (await detailOf(app, mina.accountId, id)).unlink.webhook_secrets;
    assert.equal(secrets.length, 2);
    const current = secrets.find((s) => s.expires_at === null)!;
    const body = (await mina.get(`${page}?done=webhook_rotated`)).body;
    assert.match(body, /A new signing secret has been issued/);
    assert.ok(body.indexOf('Current secret') < body.indexOf(current.secret!));
    assert.ok(
      body.indexOf(current.secret!) < body.indexOf(first!.secret!),
      'the current secret is listed first',
    );
    assert.match(body, /Previous secret, valid until [^<]+\d/);
  });
});
