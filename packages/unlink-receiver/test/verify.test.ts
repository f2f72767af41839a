import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { getHeader, verifyKakaoAK, verifyStandardWebhook } from '../src/index.ts';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Headers signed by the independent reference library, not by our own signer. */
function referenceHeaders(s: string, id: string, atSec: number, payload: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(atSec),
    'webhook-signature': new Webhook(s).sign(id, new Date(atSec * 1000), payload),
  };
}

describe('verifyKakaoAK', () => {
  it('accepts the exact admin key after the KakaoAK scheme, and any of several keys', () => {
    assert.equal(verifyKakaoAK('KakaoAK abc123', 'abc123'), true);
    assert.equal(verifyKakaoAK('kakaoak abc123', 'abc123'), true);
    assert.equal(verifyKakaoAK('KakaoAK new', ['old', 'new']), true);
  });

  it('refuses a wrong, partial, missing or differently-schemed key', () => {
    for (const header of [
      'KakaoAK abc12',
      'KakaoAK abc1234',
      'Bearer abc123',
      'abc123',
      '',
      null,
      undefined,
      'KakaoAK ',
    ]) {
      assert.equal(verifyKakaoAK(header, 'abc123'), false, String(header));
    }
    assert.throws(() => verifyKakaoAK('KakaoAK x', []));
    assert.throws(() => verifyKakaoAK('KakaoAK ', ''));
  });
});

describe('verifyStandardWebhook', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  const nowSec = now / 1000;

  it('accepts a signature made by the standardwebhooks library', () => {
    const s = secret();
    const headers = referenceHeaders(s, 'msg_1', nowSec, 'app_id=1&user_id=2&referrer_type=UNLINK_FROM_APPS');
    const v = verifyStandardWebhook(headers, 'app_id=1&user_id=2&referrer_type=UNLINK_FROM_APPS', [s], {
      now,
    });
    assert.deepEqual(v, { ok: true, id: 'msg_1', timestamp: nowSec });
  });

  it('accepts during rotation with either secret on the receiving side', () => {
    const oldS = secret();
    const newS = secret();
    const a = referenceHeaders(newS, 'msg_2', nowSec, 'x');
    const b = referenceHeaders(oldS, 'msg_2', nowSec, 'x');
    const both = { ...a, 'webhook-signature': `${a['webhook-signature']} ${b['webhook-signature']}` };
    assert.equal(verifyStandardWebhook(both, 'x', [newS], { now }).ok, true);
    assert.equal(verifyStandardWebhook(both, 'x', [oldS], { now }).ok, true);
    assert.equal(verifyStandardWebhook(a, 'x', [oldS, newS], { now }).ok, true, 'receiver holding both');
    assert.deepEqual(verifyStandardWebhook(a, 'x', [oldS], { now }), { ok: false, reason: 'bad_signature' });
  });

  it('enforces ±5 minutes by default, and a custom tolerance', () => {
    const s = secret();
    const at = (deltaSec: number) => referenceHeaders(s, 'msg_3', nowSec + deltaSec, 'x');
    assert.equal(verifyStandardWebhook(at(-300), 'x', [s], { now }).ok, true);
    assert.equal(verifyStandardWebhook(at(300), 'x', [s], { now: new Date(now) }).ok, true);
    assert.deepEqual(verifyStandardWebhook(at(-301), 'x', [s], { now }), {
      ok: false,
      reason: 'timestamp_too_old',
    });
    assert.deepEqual(verifyStandardWebhook(at(301), 'x', [s], { now }), {
      ok: false,
      reason: 'timestamp_too_new',
    });
    assert.equal(verifyStandardWebhook(at(-100), 'x', [s], { now, toleranceSec: 60 }).ok, false);
  });

  it('refuses tampering with body, id or timestamp, and malformed headers', () => {
    const s = secret();
    const h = referenceHeaders(s, 'msg_4', nowSec, 'user_id=2');
    assert.equal(verifyStandardWebhook(h, 'user_id=3', [s], { now }).ok, false);
    assert.equal(verifyStandardWebhook({ ...h, 'webhook-id': 'msg_5' }, 'user_id=2', [s], { now }).ok, false);
    assert.equal(
      verifyStandardWebhook({ ...h, 'webhook-timestamp': String(nowSec + 1) }, 'user_id=2', [s], { now }).ok,
      false,
    );
    assert.deepEqual(verifyStandardWebhook({ ...h, 'webhook-timestamp': '1e9' }, 'user_id=2', [s], { now }), {
      ok: false,
      reason: 'bad_timestamp',
    });
    assert.deepEqual(verifyStandardWebhook({ 'webhook-id': 'x' }, '', [s], { now }), {
      ok: false,
      reason: 'missing_headers',
    });
    const v2 = { ...h, 'webhook-signature': h['webhook-signature']!.replace('v1,', 'v2,') };
    assert.equal(verifyStandardWebhook(v2, 'user_id=2', [s], { now }).ok, false, 'only v1 entries count');
  });

  it('reads Fetch Headers and Node header records case-insensitively', () => {
    const s = secret();
    const h = referenceHeaders(s, 'msg_6', nowSec, 'x');
    assert.equal(verifyStandardWebhook(new Headers(h), 'x', [s], { now }).ok, true);
    const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
    assert.equal(verifyStandardWebhook(upper, Buffer.from('x'), [s], { now }).ok, true);
    assert.equal(getHeader({ 'X-A': ['1', '2'] }, 'x-a'), '1');
  });
});
