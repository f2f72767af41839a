/**
 * Every column that holds a secret sealed at rest (src/lib/encryption.ts), in one list, and the
 * two whole-database passes over them:
 * - `sealWithCurrentKey`, the boot step right after the migrations: values written before this
 *   release (plain text) are sealed, so an upgrade needs no manual step, and values sealed under a
 *   decrypt-only key (YEON_ENCRYPTION_KEY_PREVIOUS, written during a key swap) are sealed again;
 * - `resealSecrets`, `yeon secrets rotate-key`: every value opened with the old key and sealed
 *   with the new one.
 * Each pass is ONE transaction under a write lock: if any value cannot be opened (tampered, or
 * sealed under a key not given), nothing is changed, and no instance writes a value with the old
 * key halfway through a rotation (OWASP ASVS V6.2.1, V6.4.2).
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { type Keyring, needsSealing, open, seal } from '../lib/encryption.ts';
import type { Db } from './create-db.ts';
import { withWriteLock } from './write-lock.ts';

interface SealedColumn {
  table: 'apps' | 'app_keys' | 'app_webhook_secrets' | 'oidc_signing_keys';
  id: string;
  column: string;
  /** rows whose column is sealed, when not every row's is (client keys are public ids) */
  only?: { column: string; value: string };
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'apps', id: 'id', column: 'client_secret' },
  { table: 'app_keys', id: 'id', column: 'key', only: { column: 'kind', value: 'admin' } },
  { table: 'app_webhook_secrets', id: 'id', column: 'secret' },
  { table: 'oidc_signing_keys', id: 'kid', column: 'private_jwk' },
];

const LOCK = 'yeon.secrets-at-rest';

type Loose = Kysely<Record<string, Record<string, string | number>>>;

interface StoredValue {
  column: SealedColumn;
  id: string | number;
  value: string;
}

async function storedValues(db: Loose): Promise<StoredValue[]> {
  const out: StoredValue[] = [];
  for (const c of SEALED_COLUMNS) {
    let query = db.selectFrom(c.table).select([`${c.id} as id`, `${c.column} as value`]);
    if (c.only) query = query.where(c.only.column, '=', c.only.value);
    const rows = (await query.execute()) as Array<{ id: string | number; value: string }>;
    out.push(...rows.map((r) => ({ column: c, ...r })));
  }
  return out;
}

async function rewrite(trx: Loose, change: (value: string) => string | undefined): Promise<number> {
  let changed = 0;
  for (const { column: c, id, value } of await storedValues(trx)) {
    const next = change(value);
    if (next === undefined) continue;
    await trx
      .updateTable(c.table)
      .set({ [c.column]: next })
      .where(c.id, '=', id)
      .execute();
    changed++;
  }
  return changed;
}

async function inOneTransaction(db: Db, fn: (trx: Loose) => Promise<number>): Promise<number> {
  return withWriteLock(db as unknown as Loose, LOCK, async (trx) => {
    // PostgreSQL: the advisory lock keeps other passes out; this keeps writers of these tables
    // (an app created meanwhile) waiting, so nothing is sealed with the old key mid-rotation.
    if (!(trx.getExecutor().adapter instanceof SqliteAdapter))
      await sql`lock table apps, app_keys, app_webhook_secrets, oidc_signing_keys in share row exclusive mode`.execute(
        trx,
      );
    return fn(trx);
  });
}

/**
 * Seals every value not sealed under the current key. @returns how many values were sealed.
 * @throws SealedValueError when a value cannot be opened: nothing has been changed.
 */
export async function sealWithCurrentKey(db: Db, keyring: Keyring): Promise<number> {
  // Read first without a lock: after the first start there is nothing to seal, and instances
  // starting then should not hold up writers of these tables.
  const pending = (await storedValues(db as unknown as Loose)).some((v) => needsSealing(keyring, v.value));
  if (!pending) return 0;
  return inOneTransaction(db, (trx) =>
    rewrite(trx, (value) => (needsSealing(keyring, value) ? seal(keyring, open(keyring, value)) : undefined)),
  );
}

/**
 * Opens every value with `from` (plain values too) and seals it with `to`, all or nothing.
 * @throws SealedValueError when a value cannot be opened: nothing has been changed.
 */
export async function resealSecrets(db: Db, from: Keyring, to: Keyring): Promise<number> {
  return inOneTransaction(db, (trx) => rewrite(trx, (value) => seal(to, open(from, value))));
}
