/** Signing keys in the database: created once, rotated with overlap, retired keys dropped later. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import {
  ensureSigningKey,
  loadJwks,
  RETIRED_KEY_RETENTION_MS,
  rotateSigningKey,
} from '../../src/oidc/signing-keys.ts';
import { freshDb } from './oidc-test-db.ts';

describe('signing keys', () => {
  test('ensureSigningKey creates one RS256 key on first start and reuses it afterwards', async (t) => {
    const db = await freshDb(t);
    const kid = await ensureSigningKey(db);
    assert.equal(await ensureSigningKey(db), kid);
    const { keys } = await loadJwks(db);
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!.kid, kid);
    assert.equal(keys[0]!.kty, 'RSA');
    assert.equal(keys[0]!.alg, 'RS256');
    assert.equal(keys[0]!.use, 'sig');
    assert.ok(keys[0]!.d, 'the stored key is the private key');
    assert.match(kid, /^[\w-]{43}$/, 'kid is a SHA-256 thumbprint in base64url');
  });

  test('rotation puts the new key first and keeps the old one published until retention ends', async (t) => {
    const db = await freshDb(t);
    const clock = fakeClock();
    const first = await ensureSigningKey(db, clock);
    clock.advance(1000);
    const { kid: second, retired } = await rotateSigningKey(db, clock);

    assert.deepEqual(retired, [first]);
    assert.equal(await ensureSigningKey(db, clock), second);
    assert.deepEqual(
      (await loadJwks(db, clock)).keys.map((k) => k.kid),
      [second, first],
    );

    clock.advance(RETIRED_KEY_RETENTION_MS);
    assert.deepEqual(
      (await loadJwks(db, clock)).keys.map((k) => k.kid),
      [second],
    );
  });
});
