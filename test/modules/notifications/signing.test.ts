import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Webhook as StandardWebhook, WebhookVerificationError } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { decodeSecret, signPayload, webhookHeaders } from '../../../src/modules/notifications/signing.ts';

const newSecret = (bytes = 32) => `whsec_${randomBytes(bytes).toString('base64')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** true when the `standardwebhooks` reference verifier accepts (payload is not parsed as JSON). */
function standardAccepts(secret: string, payload: string, headers: Record<string, string>): boolean {
  try {
    new StandardWebhook(secret).verify(payload, headers, { jsonParse: false });
    return true;
  } catch (err) {
    if (err instanceof WebhookVerificationError) return false;
    throw err;
  }
}

/**
 * true when `svix`'s verifier accepts. It always JSON-parses the payload after the signature
 * matched, so a SyntaxError on a non-JSON payload also means "signature accepted".
 */
function svixAccepts(secret: string, payload: string, headers: Record<string, string>): boolean {
  try {
    new SvixWebhook(secret).verify(payload, headers);
    return true;
  } catch (err) {
    if (err instanceof SyntaxError) return true;
    if (err instanceof Error && err.name === 'WebhookVerificationError') return false;
    throw err;
  }
}

describe('Standard Webhooks signing', () => {
  it('matches the reference test vector of the Standard Webhooks libraries', () => {
    assert.equal(
      signPayload({
        id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        payload: '{"test": 2432232314}',
        secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      }),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('is verified by standardwebhooks and svix for random payloads, ids and secrets', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.integer({ min: 24, max: 64 }),
        (payload, id, keyBytes) => {
          const secret = newSecret(keyBytes);
          const headers = webhookHeaders({
            id: `msg_${id}`,
            timestamp: nowSeconds(),
            payload,
            secrets: [secret],
          });
          assert.ok(standardAccepts(secret, payload, headers));
          assert.ok(svixAccepts(secret, payload, headers));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails verification when one byte of the body, the id or the timestamp changes', () => {
    const secret = newSecret();
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), (payload, at) => {
        const ts = nowSeconds();
        const headers = webhookHeaders({ id: 'msg_abc', timestamp: ts, payload, secrets: [secret] });
        const bytes = Buffer.from(payload, 'utf8');
        const i = at % bytes.length;
        bytes[i] = bytes[i]! ^ 0x01;
        const flipped = bytes.toString('utf8'); // payloads are ASCII here, so one byte = one char
        assert.notEqual(flipped, payload);
        assert.equal(standardAccepts(secret, flipped, headers), false);
        assert.equal(standardAccepts(secret, payload, { ...headers, 'webhook-id': 'msg_abd' }), false);
        assert.equal(
          standardAccepts(secret, payload, { ...headers, 'webhook-timestamp': String(ts - 1) }),
          false,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('is rejected by the reference verifier outside the ±5 minute tolerance', () => {
    const secret = newSecret();
    const sign = (timestamp: number) =>
      webhookHeaders({ id: 'msg_1', timestamp, payload: 'x', secrets: [secret] });
    assert.equal(standardAccepts(secret, 'x', sign(nowSeconds() - 240)), true);
    assert.equal(standardAccepts(secret, 'x', sign(nowSeconds() - 400)), false);
    assert.equal(standardAccepts(secret, 'x', sign(nowSeconds() + 400)), false);
  });

  it('signs with both secrets during a rotation overlap, and only the new one afterwards', () => {
    const oldSecret = newSecret();
    const newer = newSecret();
    const payload = 'app_id=1&user_id=2&referrer_type=UNLINK_FROM_APPS';
    const during = webhookHeaders({
      id: 'msg_rot',
      timestamp: nowSeconds(),
      payload,
      secrets: [newer, oldSecret],
    });
    assert.equal(during['webhook-signature'].split(' ').length, 2);
    assert.match(during['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    for (const s of [newer, oldSecret]) {
      assert.ok(standardAccepts(s, payload, during));
      assert.ok(svixAccepts(s, payload, during));
    }
    const after = webhookHeaders({ id: 'msg_rot', timestamp: nowSeconds(), payload, secrets: [newer] });
    assert.ok(standardAccepts(newer, payload, after));
    assert.equal(standardAccepts(oldSecret, payload, after), false);
    assert.equal(svixAccepts(oldSecret, payload, after), false);
  });

  it('refuses ids or timestamps that would make the signed content ambiguous, and bad secrets', () => {
    const secrets = [newSecret()];
    assert.throws(() => signPayload({ id: 'a.b', timestamp: 1, payload: '', secrets }));
    assert.throws(() => signPayload({ id: '', timestamp: 1, payload: '', secrets }));
    assert.throws(() => signPayload({ id: 'a', timestamp: 1.5, payload: '', secrets }));
    assert.throws(() => signPayload({ id: 'a', timestamp: 1, payload: '', secrets: [] }));
    assert.throws(() => decodeSecret('whsec_not base64!'));
    assert.throws(() => decodeSecret('whsec_'));
    assert.equal(decodeSecret(`whsec_${Buffer.from('k').toString('base64')}`).toString(), 'k');
  });
});
