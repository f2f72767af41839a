/**
 * Secrets at rest (OWASP ASVS V6.2.1, V6.4.1): app client secrets, admin keys, webhook signing
 * secrets and the ID-token private keys are stored sealed with AES-256-GCM (NIST SP 800-38D), so
 * a copy of the database or a backup does not hand out the power to act as an app or sign tokens.
 *
 * A sealed value is one ASCII string: `enc:v1:<keyId>:<iv>:<ciphertext+tag>` (base64url parts).
 * - `keyId` names the key that sealed it (a short hash of the key, never the key), so a value
 *   sealed under a key yeon does not hold is refused by name instead of failing as "tampered".
 * - `iv` is 96 random bits, the length SP 800-38D §8.2 recommends; a random IV per value keeps
 *   the number of values sealed under one key far below the 2^32 invocations §8.3 allows.
 * - The 128-bit tag (SP 800-38D §5.2.1.2) authenticates the ciphertext and the `enc:v1:<keyId>`
 *   header (the additional authenticated data): a changed byte anywhere is refused.
 * A value without the prefix is legacy plain text: it is read as it is, and sealed by
 * `sealLegacySecrets` at boot.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const ENCRYPTION_KEY_BYTES = 32;

export interface EncryptionKey {
  /** short hash of the key: which key sealed a value */
  id: string;
  key: Buffer;
}

/** The key that seals, and keys that may still open (a rolling key swap's previous key). */
export interface Keyring {
  current: EncryptionKey;
  previous: EncryptionKey[];
}

export class SealedValueError extends Error {
  override name = 'SealedValueError';
}

/**
 * 32 bytes given as hex (64 characters) or base64/base64url (43–44 characters), e.g. the output
 * of `openssl rand -base64 32`. Returns undefined for anything else, so the caller can name the
 * variable without echoing the value.
 */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const bytes = Buffer.from(
      trimmed.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      'base64url',
    );
    if (bytes.length === ENCRYPTION_KEY_BYTES) return bytes;
  }
  return undefined;
}

export function encryptionKey(key: Buffer): EncryptionKey {
  if (key.length !== ENCRYPTION_KEY_BYTES) throw new Error('an encryption key is 32 bytes');
  const id = createHash('sha256')
    .update('yeon encryption key id\0')
    .update(key)
    .digest('base64url')
    .slice(0, 8);
  return { id, key };
}

export function createKeyring(current: Buffer, previous: Buffer[] = []): Keyring {
  return { current: encryptionKey(current), previous: previous.map(encryptionKey) };
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function seal(keyring: Keyring, plaintext: string): string {
  const { id, key } = keyring.current;
  const header = `${PREFIX}${id}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${header}:${iv.toString('base64url')}:${body.toString('base64url')}`;
}

/**
 * The plain text of a sealed value; a legacy plain value comes back as it is.
 * @throws SealedValueError for a malformed or tampered value, or one sealed under a key not held.
 */
export function open(keyring: Keyring, value: string): string {
  if (!isSealed(value)) return value;
  const parts = value.slice(PREFIX.length).split(':');
  if (parts.length !== 3) throw new SealedValueError('malformed sealed value');
  const [id, ivText, bodyText] = parts as [string, string, string];
  const key = [keyring.current, ...keyring.previous].find((k) => k.id === id);
  if (!key)
    throw new SealedValueError(`value sealed under encryption key ${id}, which this instance does not hold`);
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  // Only the canonical base64url is accepted, so a value has exactly one spelling: a changed
  // padding bit is refused like any other change.
  if (
    iv.length !== IV_BYTES ||
    body.length < TAG_BYTES ||
    iv.toString('base64url') !== ivText ||
    body.toString('base64url') !== bodyText
  )
    throw new SealedValueError('malformed sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${PREFIX}${id}`));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealedValueError(`sealed value refused: it was changed or the key ${id} is wrong`);
  }
}

/** True when `value` is plain text or sealed under a key other than the current one. */
export function needsSealing(keyring: Keyring, value: string): boolean {
  return !value.startsWith(`${PREFIX}${keyring.current.id}:`);
}

// ---- the keyring of an open database ------------------------------------------------------------

/**
 * Which keyring a database handle's sealed values open with. Bound once where the process's
 * secrets and its database meet (createServices, `yeon worker`, the CLI), so that code reading a
 * secret column asks the handle it already has, and a handle without a key fails closed.
 */
const keyrings = new WeakMap<object, Keyring>();

export function bindKeyring(db: object, keyring: Keyring): void {
  keyrings.set(db, keyring);
}

export function keyringOf(db: object): Keyring {
  const keyring = keyrings.get(db);
  if (!keyring) throw new Error('no encryption key is bound to this database handle (bindKeyring)');
  return keyring;
}
