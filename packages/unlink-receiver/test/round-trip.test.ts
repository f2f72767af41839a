/**
 * yeon's sender → this package's receiver: every wire shape built by buildUnlinkRequest verifies
 * and parses, in memory and over real loopback HTTP into the Express and Fastify examples.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { sendTestNotification } from '../../../src/modules/notifications/test-notification.ts';
import { buildUnlinkRequest, type OutboundRequest } from '../../../src/modules/notifications/wire-format.ts';
import { deliverOnce } from '../../../src/modules/outbound/http-client.ts';
import { createApp } from '../examples/express.ts';
import { buildServer } from '../examples/fastify.ts';
import {
  handleUnlinkRequest,
  parseUnlinkRequest,
  signedPayload,
  type UnlinkEvent,
  type UnlinkHandlerOptions,
  verifyKakaoAK,
  verifyStandardWebhook,
} from '../src/index.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const oldSecret = `whsec_${randomBytes(32).toString('base64')}`;
const ADMIN_KEY = 'admin-key-0123456789';
const LOOPBACK = { allow: ['127.0.0.0/8'] };

const shapes = [
  { method: 'GET', format: 'kakao' },
  { method: 'POST', format: 'kakao' },
  { method: 'POST', format: 'json' },
] as const;

function build(shape: (typeof shapes)[number], url: string, id: string, secrets = [secret]): OutboundRequest {
  return buildUnlinkRequest({
    url,
    method: shape.method,
    format: shape.format,
    adminKey: ADMIN_KEY,
    appId: 1234567890,
    userId: 4242,
    referrerType: 'UNLINK_FROM_APPS',
    notificationId: id,
    timestamp: Math.floor(Date.now() / 1000),
    secrets,
  });
}

/** The request as a server sees it: request target (path + query) instead of the full URL. */
function asReceived(req: OutboundRequest) {
  const u = new URL(req.url);
  return { method: req.method, url: `${u.pathname}${u.search}`, headers: req.headers, body: req.body };
}

describe('round trip in memory: buildUnlinkRequest → verify → parse', () => {
  for (const shape of shapes) {
    it(`${shape.method} ${shape.format}: KakaoAK and the signature (old or new secret) verify`, () => {
      const req = asReceived(
        build(shape, 'https://app.example/unlink?keep=1', 'msg_rt1', [secret, oldSecret]),
      );
      assert.ok(verifyKakaoAK(req.headers.authorization, ADMIN_KEY));
      for (const s of [secret, oldSecret]) {
        assert.equal(verifyStandardWebhook(req.headers, signedPayload(req), [s]).ok, true);
      }
      const event = parseUnlinkRequest(req);
      assert.equal(event.id, 'msg_rt1');
      assert.equal(event.appId, '1234567890');
      assert.equal(event.userId, '4242');
      assert.equal(event.referrerType, 'UNLINK_FROM_APPS');
      assert.equal(event.format, shape.format);
      assert.equal(event.test, false);
    });
  }
});

type StartedReceiver = { url: string; events: UnlinkEvent[] };

async function startExpress(
  t: TestContext,
  options: Omit<UnlinkHandlerOptions, 'onUnlink'>,
): Promise<StartedReceiver> {
  const events: UnlinkEvent[] = [];
  const app = createApp({ ...options, onUnlink: (e) => void events.push(e) });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/unlink`, events };
}

async function startFastify(
  t: TestContext,
  options: Omit<UnlinkHandlerOptions, 'onUnlink'>,
): Promise<StartedReceiver> {
  const events: UnlinkEvent[] = [];
  const app = await buildServer({ ...options, onUnlink: (e) => void events.push(e) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/unlink`, events };
}

for (const [name, start] of [
  ['express', startExpress],
  ['fastify', startFastify],
] as const) {
  describe(`round trip over HTTP into examples/${name}.ts`, () => {
    it('accepts every shape once, answers duplicates 200 without processing them again', async (t) => {
      const receiver = await start(t, { adminKey: ADMIN_KEY, secrets: [secret], appId: 1234567890 });
      for (const [i, shape] of shapes.entries()) {
        const req = build(shape, `${receiver.url}?keep=1`, `msg_http${i}`);
        const first = await deliverOnce(req, { policy: LOOPBACK, timeoutMs: 3000 });
        assert.equal(
          first.ok,
          true,
          `${shape.method} ${shape.format}: ${first.status} ${first.responseExcerpt}`,
        );
        const again = await deliverOnce(req, { policy: LOOPBACK, timeoutMs: 3000 });
        assert.equal(again.ok, true);
        assert.match(again.responseExcerpt ?? '', /duplicate/);
      }
      assert.deepEqual(
        receiver.events.map((e) => [e.id, e.format, e.userId]),
        [
          ['msg_http0', 'kakao', '4242'],
          ['msg_http1', 'kakao', '4242'],
          ['msg_http2', 'json', '4242'],
        ],
      );
    });

    it('answers 401 to a wrong admin key or a signature from another secret, and 400 for another app', async (t) => {
      const receiver = await start(t, { adminKey: ADMIN_KEY, secrets: [secret], appId: 1234567890 });
      const wrongKey = build(shapes[1], receiver.url, 'msg_bad1');
      wrongKey.headers.authorization = 'KakaoAK not-the-key';
      const r1 = await deliverOnce(wrongKey, { policy: LOOPBACK, timeoutMs: 3000 });
      assert.equal(r1.status, 401);
      const r2 = await deliverOnce(build(shapes[0], receiver.url, 'msg_bad2', [oldSecret]), {
        policy: LOOPBACK,
        timeoutMs: 3000,
      });
      assert.equal(r2.status, 401);
      const other = await start(t, { adminKey: ADMIN_KEY, secrets: [secret], appId: 99 });
      const r3 = await deliverOnce(build(shapes[2], other.url, 'msg_bad3'), {
        policy: LOOPBACK,
        timeoutMs: 3000,
      });
      assert.equal(r3.status, 400);
      assert.equal(receiver.events.length + other.events.length, 0);
    });

    it('receives the console test notification and marks it as a test', async (t) => {
      const receiver = await start(t, { adminKey: ADMIN_KEY, secrets: [secret] });
      const result = await sendTestNotification(
        {
          id: 5,
          unlink_callback_url: receiver.url,
          unlink_method: 'POST',
          unlink_format: 'kakao',
          adminKey: ADMIN_KEY,
        },
        [secret],
        { policy: LOOPBACK, timeoutMs: 3000 },
      );
      assert.equal(result.ok, true);
      assert.equal(receiver.events.length, 1);
      assert.equal(receiver.events[0]!.test, true);
      assert.equal(receiver.events[0]!.userId, '0');
    });
  });
}

describe('handleUnlinkRequest', () => {
  it('answers 500 when processing fails, so yeon retries, and does not remember the id', async () => {
    const req = asReceived(build(shapes[1], 'https://app.example/unlink', 'msg_fail'));
    let calls = 0;
    const options: UnlinkHandlerOptions = {
      secrets: [secret],
      onUnlink: () => {
        calls++;
        if (calls === 1) throw new Error('database down');
        return { confirmation_code: 'del-42', status_url: 'https://app.example/deletion/42' };
      },
      store: (await import('../src/index.ts')).createIdempotencyStore(),
    };
    assert.equal((await handleUnlinkRequest(req, options)).status, 500);
    const retried = await handleUnlinkRequest(req, options);
    assert.equal(retried.status, 200);
    assert.deepEqual(retried.body, {
      confirmation_code: 'del-42',
      status_url: 'https://app.example/deletion/42',
    });
  });

  it('refuses to run without any way to authenticate', async () => {
    await assert.rejects(
      handleUnlinkRequest(asReceived(build(shapes[0], 'https://a.example/', 'msg_x')), { onUnlink() {} }),
    );
  });
});
