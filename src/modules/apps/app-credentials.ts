/**
 * Minting and checking app credentials. Pure: no I/O.
 *
 * - App keys look like Kakao's: 32 lowercase hex characters (128 random bits).
 * - Client secrets are 32 base64url characters (192 bits).
 * - Webhook signing secrets follow Standard Webhooks: `whsec_` + base64 of 32 random bytes
 *   (Standard Webhooks' versioned secrets).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomToken, safeEqual } from '../../lib/crypto.ts';
import { type Keyring, seal } from '../../lib/encryption.ts';
import type { AppKeyKind } from './apps.types.ts';

export function newAppKey(): string {
  return randomBytes(16).toString('hex');
}

/**
 * How an app key is found: SHA-256 hex, stored in `app_keys.key_hash`. Admin keys are stored
 * sealed (src/lib/encryption.ts), which cannot be searched; 128 random bits cannot be guessed back
 * from their hash, so a plain hash is enough (OWASP ASVS V6.4).
 */
export function appKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Whether `given` is the key whose hash is `storedHash`, compared in constant time
 * (crypto.timingSafeEqual, OWASP ASVS V6.2.1): the database found the row by the hash, and this
 * check does not let the time of a comparison tell how much of a guess was right.
 */
export function matchesKeyHash(given: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(given).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * An app key as `app_keys` stores it: an admin key acts as the app (Kakao REST API "Admin key"),
 * so it is sealed; client keys are public client ids and stay as they are.
 */
export function storedAppKey(keyring: Keyring, kind: AppKeyKind, key: string) {
  return { key: kind === 'admin' ? seal(keyring, key) : key, key_hash: appKeyHash(key) };
}

export function newClientSecret(): string {
  return randomToken(24);
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The token endpoint's client_secret check. When the secret is off the app is a public client and
 * ANY given value is accepted, a dummy or none at all: Kakao does this, and clients such as
 * passport-kakao always send `client_secret=kakao` (a known client quirk).
 * When it is on, the given value must match (constant-time compare).
 */
export function verifyClientSecret(
  app: { client_secret_enabled: number | boolean; client_secret: string },
  given: string | null | undefined,
): boolean {
  if (!app.client_secret_enabled) return true;
  if (typeof given !== 'string' || given === '') return false;
  return safeEqual(given, app.client_secret);
}
