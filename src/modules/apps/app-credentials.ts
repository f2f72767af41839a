/**
 * Minting and checking app credentials. Pure: no I/O.
 *
 * - App keys look like Kakao's: 32 lowercase hex characters (128 random bits).
 * - Client secrets are 32 base64url characters (192 bits).
 * - Webhook signing secrets follow Standard Webhooks: `whsec_` + base64 of 32 random bytes
 *   (Standard Webhooks' versioned secrets).
 */
import { randomBytes } from 'node:crypto';
import { randomToken, safeEqual } from '../../lib/crypto.ts';

export function newAppKey(): string {
  return randomBytes(16).toString('hex');
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
