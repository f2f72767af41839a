import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { sendTestNotification } from '../../../src/modules/notifications/test-notification.ts';
import { startReceiver } from '../outbound/loopback.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const LOOPBACK = { allow: ['127.0.0.0/8'] };

describe('sendTestNotification', () => {
  it('delivers a signed Kakao-format GET that is clearly marked as a test', async (t) => {
    const receiver = await startReceiver(t);
    const result = await sendTestNotification(
      {
        id: 1234567890,
        unlink_callback_url: `${receiver.url}/unlink?site=a`,
        unlink_method: 'GET',
        unlink_format: 'kakao',
        adminKey: 'admin-key-abcd',
      },
      [secret],
      { policy: LOOPBACK, timeoutMs: 2000 },
    );
    assert.equal(result.ok, true);
    assert.equal(result.status, 200);
    assert.match(result.request.webhookId, /^test_[0-9a-f]{24}$/);
    assert.equal(result.request.headers.authorization, 'KakaoAK ••••••••abcd', 'admin key masked');
    assert.equal('responseBody' in result, false, 'only the excerpt is shown');

    const seen = receiver.requests[0]!;
    assert.equal(seen.headers['x-yeon-test'], '1');
    assert.equal(seen.headers.authorization, 'KakaoAK admin-key-abcd');
    assert.equal(seen.headers['webhook-id'], result.request.webhookId);
    const query = seen.url.slice(seen.url.indexOf('?') + 1);
    assert.equal(query, 'site=a&app_id=1234567890&user_id=0&referrer_type=UNLINK_FROM_APPS');
    const headers = {
      'webhook-id': String(seen.headers['webhook-id']),
      'webhook-timestamp': String(seen.headers['webhook-timestamp']),
      'webhook-signature': String(seen.headers['webhook-signature']),
    };
    new Webhook(secret).verify(query, headers, { jsonParse: false });
  });

  it('delivers the JSON format as POST and reports the receiver answer', async (t) => {
    const receiver = await startReceiver(t, (_req, res) => res.writeHead(500).end('boom'));
    const result = await sendTestNotification(
      {
        id: 7,
        unlink_callback_url: `${receiver.url}/hook`,
        unlink_method: 'GET',
        unlink_format: 'json',
        adminKey: 'k',
      },
      [secret],
      { policy: LOOPBACK, timeoutMs: 2000 },
    );
    assert.equal(result.ok, false);
    assert.equal(result.error, 'http_error');
    assert.equal(result.status, 500);
    assert.equal(result.responseExcerpt, 'boom');
    assert.equal(result.request.method, 'POST');
    const seen = receiver.requests[0]!;
    assert.deepEqual(JSON.parse(seen.body).data, {
      app_id: '7',
      user_id: '0',
      referrer_type: 'UNLINK_FROM_APPS',
    });
    new Webhook(secret).verify(seen.body, {
      'webhook-id': String(seen.headers['webhook-id']),
      'webhook-timestamp': String(seen.headers['webhook-timestamp']),
      'webhook-signature': String(seen.headers['webhook-signature']),
    });
  });

  it('goes through the SSRF guard: a loopback URL without an allow-list is refused, 0 connections', async (t) => {
    const receiver = await startReceiver(t);
    const result = await sendTestNotification(
      {
        id: 7,
        unlink_callback_url: `${receiver.url}/hook`,
        unlink_method: 'POST',
        unlink_format: 'kakao',
        adminKey: 'k',
      },
      [secret],
      { policy: { allow: [] }, timeoutMs: 2000 },
    );
    assert.equal(result.error, 'refused_destination');
    assert.equal(receiver.connections, 0);
    assert.equal(result.request.body, 'app_id=7&user_id=0&referrer_type=UNLINK_FROM_APPS');
  });
});
