/**
 * RS256 signing keys kept in the database with `kid`s (Kakao "OpenID Connect": ID
 * tokens are RS256, the JWKS has kids and keys rotate).
 *
 * Rules:
 * - the newest active key signs: `loadJwks` lists it first, and oidc-provider signs with the first
 *   key that fits the algorithm (lib/helpers/keystore.js `selectForSign`);
 * - a rotated-out key stays published for `RETIRED_KEY_RETENTION_MS`, so tokens signed just before
 *   a rotation still verify at clients that cache the JWKS;
 * - oidc-provider reads `jwks` once, at construction: a rotation takes effect when the provider is
 *   built again (restart). Several instances: rotate, then restart them all (docs/README.md `jwks`,
 *   "recommended action order when rotating signing keys").
 * - `kid` is the RFC 7638 thumbprint, the same value oidc-provider would compute itself.
 * - the private JWK is stored sealed (src/lib/encryption.ts, OWASP ASVS V6.4.1): a copy of the
 *   database cannot sign ID tokens.
 */
import { createHash, generateKeyPair, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from '../db/create-db.ts';
import { withWriteLock } from '../db/write-lock.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { keyringOf, open, seal } from '../lib/encryption.ts';

const generateKeyPairAsync = promisify(generateKeyPair);
const SIGNING_KEYS_LOCK = 'yeon.signing-keys';

/** Longer than any token signed with the key lives (ID tokens: hours) plus client JWKS caching. */
export const RETIRED_KEY_RETENTION_MS = 7 * 86_400_000;

export interface SigningJwk extends JsonWebKey {
  kid: string;
  kty: 'RSA';
  alg: 'RS256';
  use: 'sig';
}

/** RFC 7638 §3: SHA-256 over the required members in lexicographic order. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Made before the lock is taken: RSA generation takes ~100 ms that no one else need wait for. */
async function generateJwk(): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const exported = privateKey.export({ format: 'jwk' });
  return { ...exported, kty: 'RSA', kid: thumbprint(exported), alg: 'RS256', use: 'sig' };
}

interface SealedJwk {
  kid: string;
  sealed: string;
}

/** Made before the lock too: the transaction handle is not the one the keyring is bound to. */
async function generateSealedJwk(db: Db): Promise<SealedJwk> {
  const jwk = await generateJwk();
  return { kid: jwk.kid, sealed: seal(keyringOf(db), JSON.stringify(jwk)) };
}

async function insertKey(db: Db, jwk: SealedJwk, now: number): Promise<string> {
  await db
    .insertInto('oidc_signing_keys')
    .values({ kid: jwk.kid, private_jwk: jwk.sealed, created_at: now, retired_at: null })
    .execute();
  return jwk.kid;
}

async function signingKid(db: Db): Promise<string | undefined> {
  const active = await db
    .selectFrom('oidc_signing_keys')
    .select('kid')
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .executeTakeFirst();
  return active?.kid;
}

/**
 * Makes sure one active key exists (first start); returns the kid that signs. Instances starting
 * together on a new database must agree on one key: each reads `jwks` once, so an instance that
 * made its own would sign ID tokens its peers never publish. Hence the check and the insert
 * under one lock.
 */
export async function ensureSigningKey(db: Db, clock: Clock = systemClock): Promise<string> {
  const kid = await signingKid(db);
  if (kid) return kid;
  const jwk = await generateSealedJwk(db);
  return withWriteLock(db, SIGNING_KEYS_LOCK, async (trx) => {
    return (await signingKid(trx)) ?? (await insertKey(trx, jwk, clock.now()));
  });
}

/** Adds a new signing key and retires the others (they stay published for a while). */
export async function rotateSigningKey(
  db: Db,
  clock: Clock = systemClock,
): Promise<{ kid: string; retired: string[] }> {
  const jwk = await generateSealedJwk(db);
  // Under the same lock, so two rotations at once leave exactly one active key.
  return withWriteLock(db, SIGNING_KEYS_LOCK, async (trx) => {
    const now = clock.now();
    const kid = await insertKey(trx, jwk, now);
    const retired = await trx
      .updateTable('oidc_signing_keys')
      .set({ retired_at: now })
      .where('retired_at', 'is', null)
      .where('kid', '!=', kid)
      .returning('kid')
      .execute();
    return { kid, retired: retired.map((r) => r.kid) };
  });
}

/**
 * The private JWKS for oidc-provider's `jwks` option: active keys (newest first), then keys
 * retired less than `RETIRED_KEY_RETENTION_MS` ago. oidc-provider publishes only the public parts.
 */
export async function loadJwks(db: Db, clock: Clock = systemClock): Promise<{ keys: SigningJwk[] }> {
  const rows = await db
    .selectFrom('oidc_signing_keys')
    .select(['private_jwk', 'retired_at'])
    .where((eb) =>
      eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', clock.now() - RETIRED_KEY_RETENTION_MS)]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('kid')
    .execute();
  const active = rows.filter((r) => r.retired_at === null);
  const retired = rows.filter((r) => r.retired_at !== null);
  const keyring = keyringOf(db);
  return {
    keys: [...active, ...retired].map((r) => JSON.parse(open(keyring, r.private_jwk)) as SigningJwk),
  };
}
