/**
 * Standard Webhooks signatures for outbound notifications (Standard Webhooks 1.0.0,
 * standard-webhooks/standard-webhooks spec/standard-webhooks.md).
 *
 * - Signed content: `{id}.{timestamp}.{payload}`, on the exact string sent (for a GET callback the
 *   exact query string, see wire-format.ts).
 * - Each secret is `whsec_<base64 key>`; the HMAC-SHA256 key is the base64-decoded part, as in
 *   the reference libraries (`standardwebhooks`, `svix`), which our tests use to verify.
 * - `webhook-signature` is a space-separated list of `v1,<base64 HMAC>`, one per secret, newest
 *   first: during a rotation overlap both the new and the old secret sign, so receivers holding
 *   either one keep verifying (zero-downtime rotation).
 */
import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';

/** The HMAC key of a `whsec_…` secret (a bare base64 key is accepted too, like the references). */
export function decodeSecret(secret: string): Buffer {
  const b64 = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('webhook secret is not base64');
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return key;
}

/** One `v1,<base64>` signature of `{id}.{timestamp}.{payload}`. */
export function signOne(secret: string, id: string, timestamp: number, payload: string): string {
  const mac = createHmac('sha256', decodeSecret(secret)).update(`${id}.${timestamp}.${payload}`, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/**
 * The `webhook-signature` header value: one `v1,` entry per secret (newest first), separated by
 * spaces. `timestamp` is Unix seconds of this attempt; `id` is stable across retries.
 */
export function signPayload(input: {
  id: string;
  timestamp: number;
  payload: string;
  secrets: string[];
}): string {
  const { id, timestamp, payload, secrets } = input;
  // The spec forbids '.' in id and timestamp: it would make the signed content ambiguous.
  if (id === '' || id.includes('.') || /\s/.test(id))
    throw new Error('webhook id must be non-empty, without "." or spaces');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new Error('webhook timestamp must be integer seconds');
  if (secrets.length === 0) throw new Error('at least one webhook secret is needed to sign');
  return secrets.map((s) => signOne(s, id, timestamp, payload)).join(' ');
}

/** The three Standard Webhooks headers for one attempt. */
export function webhookHeaders(input: {
  id: string;
  timestamp: number;
  payload: string;
  secrets: string[];
}): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signPayload(input),
  };
}
