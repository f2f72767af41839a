import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createIdempotencyStore,
  parseUnlinkRequest,
  rawQuery,
  signedPayload,
  UnlinkRequestError,
} from '../src/index.ts';

describe('parseUnlinkRequest', () => {
  it('parses a Kakao GET query', () => {
    const event = parseUnlinkRequest({
      method: 'GET',
      url: '/unlink?site=a&app_id=123&user_id=456&referrer_type=UNLINK_FROM_APPS',
      headers: { 'webhook-id': 'msg_1' },
    });
    assert.deepEqual(event, {
      id: 'msg_1',
      appId: '123',
      userId: '456',
      referrerType: 'UNLINK_FROM_APPS',
      test: false,
      type: 'user.unlinked',
      format: 'kakao',
    });
  });

  it('parses a Kakao form POST (raw string, bytes, or an already-parsed object)', () => {
    const body = 'app_id=123&user_id=456&referrer_type=ACCOUNT_DELETE';
    const headers = { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' };
    for (const b of [
      body,
      Buffer.from(body),
      { app_id: '123', user_id: '456', referrer_type: 'ACCOUNT_DELETE' },
    ]) {
      const event = parseUnlinkRequest({ method: 'POST', url: '/unlink', headers, body: b });
      assert.equal(event.referrerType, 'ACCOUNT_DELETE');
      assert.equal(event.id, null, 'Kakao itself sends no webhook-id');
    }
  });

  it('parses yeon JSON events and flat JSON objects', () => {
    const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_9' };
    const event = parseUnlinkRequest({
      method: 'POST',
      url: '/unlink',
      headers,
      body: JSON.stringify({
        type: 'user.unlinked',
        timestamp: '2026-11-24T12:00:00.000Z',
        data: { app_id: '1', user_id: '2', referrer_type: 'UNLINK_FROM_ADMIN' },
      }),
    });
    assert.deepEqual(event, {
      id: 'msg_9',
      appId: '1',
      userId: '2',
      referrerType: 'UNLINK_FROM_ADMIN',
      test: false,
      type: 'user.unlinked',
      format: 'json',
      occurredAt: '2026-11-24T12:00:00.000Z',
    });
    const flat = parseUnlinkRequest({
      method: 'POST',
      url: '/unlink',
      headers,
      body: '{"app_id":1,"user_id":2,"referrer_type":"ACCOUNT_DELETE"}',
    });
    assert.equal(flat.userId, '2');
    assert.equal(flat.format, 'json');
  });

  it('recognises test notifications by header or id', () => {
    const url = '/u?app_id=1&user_id=0&referrer_type=UNLINK_FROM_APPS';
    assert.equal(parseUnlinkRequest({ method: 'GET', url, headers: { 'x-yeon-test': '1' } }).test, true);
    assert.equal(
      parseUnlinkRequest({ method: 'GET', url, headers: { 'webhook-id': 'test_abc' } }).test,
      true,
    );
    assert.equal(parseUnlinkRequest({ method: 'GET', url, headers: {} }).test, false);
  });

  it('throws UnlinkRequestError with a code for anything else', () => {
    const cases: Array<[Parameters<typeof parseUnlinkRequest>[0], string]> = [
      [{ method: 'GET', url: '/u?app_id=1&user_id=2', headers: {} }, 'missing_field'],
      [
        { method: 'POST', url: '/u', headers: { 'content-type': 'application/json' }, body: '[1]' },
        'bad_json',
      ],
      [{ method: 'POST', url: '/u', headers: { 'content-type': 'application/json' }, body: '{' }, 'bad_json'],
      [
        { method: 'POST', url: '/u', headers: { 'content-type': 'text/xml' }, body: '<x/>' },
        'unsupported_media_type',
      ],
      [{ method: 'DELETE', url: '/u', headers: {} }, 'unsupported_method'],
    ];
    for (const [request, code] of cases) {
      assert.throws(
        () => parseUnlinkRequest(request),
        (err: unknown) => err instanceof UnlinkRequestError && err.code === code,
        code,
      );
    }
  });
});

describe('signedPayload and rawQuery', () => {
  it('is the raw query after ? for GET (never re-encoded), the raw body otherwise', () => {
    assert.equal(rawQuery('/cb?token=a%2Fb&x=1+2#f'), 'token=a%2Fb&x=1+2');
    assert.equal(rawQuery('https://app.example/cb'), '');
    assert.equal(signedPayload({ method: 'GET', url: '/cb?a=%2F' }), 'a=%2F');
    assert.equal(signedPayload({ method: 'POST', url: '/cb?ignored=1', body: 'a=1' }), 'a=1');
    assert.throws(() => signedPayload({ method: 'POST', url: '/cb', body: { a: 1 } }));
  });
});

describe('createIdempotencyStore', () => {
  it('remembers ids until their ttl, and stays bounded', () => {
    let t = 0;
    const store = createIdempotencyStore({ ttlMs: 1000, maxEntries: 3, now: () => t });
    assert.equal(store.seen('a'), false);
    store.remember('a');
    assert.equal(store.seen('a'), true);
    t = 999;
    assert.equal(store.seen('a'), true);
    t = 1000;
    assert.equal(store.seen('a'), false, 'expired');
    for (const id of ['b', 'c', 'd', 'e']) store.remember(id);
    assert.equal(store.size(), 3);
    assert.equal(store.seen('b'), false, 'oldest evicted');
    assert.equal(store.seen('e'), true);
  });
});
