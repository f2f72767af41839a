/** Small pure crypto helpers (no I/O). */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function hmac(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Constant-time string comparison; different lengths compare false without leaking where. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/**
 * A random id that is a safe JSON integer (≤ 2^53 − 1) and never looks small: used for app ids
 * and app user ids, which Kakao clients parse as numbers (Kakao types them Long; JSON carries them
 * as numbers).
 */
export function randomSafeInteger(min = 1_000_000_000, max = Number.MAX_SAFE_INTEGER): number {
  // randomInt's range is limited to 2^48; combine two draws for the full safe range.
  const span = max - min;
  const hi = randomInt(0, 2 ** 21);
  const lo = randomInt(0, 2 ** 32);
  return min + ((hi * 2 ** 32 + lo) % span);
}
