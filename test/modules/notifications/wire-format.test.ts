import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { buildEventRequest, buildUnlinkRequest } from '../../../src/modules/notifications/wire-format.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const oldSecret = `whsec_${randomBytes(32).toString('base64')}`;
const now = () => Math.floor(Date.now() / 1000);

function verifies(s: string, payload: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(s).verify(payload, headers, { jsonParse: false });
    return true;
  } catch (err) {
    if (err instanceof WebhookVerificationError) return false;
    throw err;
  }
}

const base = {
  adminKey: 'admin-key-123',
  appId: 1234567890,
  userId: 9007199254740991,
  referrerType: 'UNLINK_FROM_APPS',
  notificationId: 'msg_0abc',
  secrets: [secret],
};

describe('buildUnlinkRequest: Kakao format (Kakao "Unlink webhook")', () => {
  it('GET: appends app_id, user_id, referrer_type as strings and signs the query string', () => {
    const ts = now();
    const req = buildUnlinkRequest({
      ...base,
      url: 'https://app.example/unlink',
      method: 'GET',
      format: 'kakao',
      timestamp: ts,
    });
    assert.equal(req.method, 'GET');
    assert.equal(req.body, undefined);
    assert.equal(
      req.url,
      'https://app.example/unlink?app_id=1234567890&user_id=9007199254740991&referrer_type=UNLINK_FROM_APPS',
    );
    assert.equal(req.headers.authorization, 'KakaoAK admin-key-123');
    assert.equal(req.headers['webhook-id'], 'msg_0abc');
    assert.equal(req.headers['webhook-timestamp'], String(ts));
    assert.equal(req.headers['content-type'], undefined);
    const signed = new URL(req.url).search.slice(1);
    assert.ok(verifies(secret, signed, req.headers));
  });

  it('GET: keeps an existing query byte for byte, drops the fragment, and signs the full final query', () => {
    const req = buildUnlinkRequest({
      ...base,
      url: 'https://app.example/cb?token=a%2Fb&lang=ko#frag',
      method: 'GET',
      format: 'kakao',
      timestamp: now(),
    });
    assert.equal(
      req.url,
      'https://app.example/cb?token=a%2Fb&lang=ko&app_id=1234567890&user_id=9007199254740991&referrer_type=UNLINK_FROM_APPS',
    );
    const fullQuery = req.url.slice(req.url.indexOf('?') + 1);
    assert.ok(verifies(secret, fullQuery, req.headers), 'the whole query string is signed');
    assert.equal(
      verifies(
        secret,
        'app_id=1234567890&user_id=9007199254740991&referrer_type=UNLINK_FROM_APPS',
        req.headers,
      ),
      false,
    );
    // What a server sees as the request target is exactly what was signed after the '?'.
    const target = new URL(req.url);
    assert.equal(`${target.pathname}${target.search}`.split('?')[1], fullQuery);
  });

  it('POST: form body with the same fields, signed over the exact body', () => {
    const req = buildUnlinkRequest({
      ...base,
      url: 'https://app.example/cb?keep=1',
      method: 'POST',
      format: 'kakao',
      timestamp: now(),
      referrerType: 'ACCOUNT_DELETE',
    });
    assert.equal(req.url, 'https://app.example/cb?keep=1');
    assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded;charset=utf-8');
    assert.equal(req.body, 'app_id=1234567890&user_id=9007199254740991&referrer_type=ACCOUNT_DELETE');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), {
      app_id: '1234567890',
      user_id: '9007199254740991',
      referrer_type: 'ACCOUNT_DELETE',
    });
    assert.ok(verifies(secret, req.body!, req.headers));
  });

  it('carries two signatures during a secret rotation, each verifying alone', () => {
    const req = buildUnlinkRequest({
      ...base,
      secrets: [secret, oldSecret],
      url: 'https://app.example/cb',
      method: 'POST',
      format: 'kakao',
      timestamp: now(),
    });
    assert.equal(req.headers['webhook-signature']!.split(' ').length, 2);
    assert.ok(verifies(secret, req.body!, req.headers));
    assert.ok(verifies(oldSecret, req.body!, req.headers));
  });
});

describe('buildUnlinkRequest: JSON format', () => {
  it('POSTs {type, timestamp, data} as JSON whatever the configured method', () => {
    const ts = 1_790_000_000;
    const req = buildUnlinkRequest({
      ...base,
      url: 'https://app.example/cb',
      method: 'GET',
      format: 'json',
      timestamp: ts,
      occurredAt: 1_789_999_990_123,
    });
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, 'KakaoAK admin-key-123');
    assert.deepEqual(JSON.parse(req.body!), {
      type: 'user.unlinked',
      timestamp: '2026-09-21T14:13:10.123Z',
      data: { app_id: '1234567890', user_id: '9007199254740991', referrer_type: 'UNLINK_FROM_APPS' },
    });
    const fresh = buildUnlinkRequest({
      ...base,
      url: 'https://app.example/cb',
      method: 'POST',
      format: 'json',
      timestamp: now(),
    });
    assert.ok(verifies(secret, fresh.body!, fresh.headers));
  });
});

describe('buildEventRequest', () => {
  it('builds signed JSON events for user.scope_withdrawn and user.linked', () => {
    for (const type of ['user.scope_withdrawn', 'user.linked'] as const) {
      const req = buildEventRequest({
        url: 'https://app.example/events',
        type,
        data: { app_id: '1', user_id: '2', scopes: ['account_email'] },
        notificationId: 'msg_evt',
        timestamp: now(),
        secrets: [secret],
      });
      assert.equal(req.method, 'POST');
      assert.equal(req.headers.authorization, undefined, 'no admin key unless given');
      assert.equal(JSON.parse(req.body!).type, type);
      assert.deepEqual(JSON.parse(req.body!).data.scopes, ['account_email']);
      assert.ok(verifies(secret, req.body!, req.headers));
    }
    const withKey = buildEventRequest({
      url: 'https://app.example/events',
      type: 'user.linked',
      data: {},
      notificationId: 'msg_evt2',
      timestamp: now(),
      secrets: [secret],
      adminKey: 'k',
    });
    assert.equal(withKey.headers.authorization, 'KakaoAK k');
  });
});
