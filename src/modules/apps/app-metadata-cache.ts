/**
 * In-memory copies of app metadata that every instance drops the moment any instance changes it
 * (docs/decisions/0006-caches-and-revocation.md).
 *
 * Each entry carries the revocation epoch it was read with, read in the same statement as the
 * data (so the pair comes from one snapshot), and the expiry of the key it was found by. Before an
 * entry is served, the current epoch is read (one primary-key row) and the key's expiry is checked
 * against the clock bound to the database handle (app-key-clock.ts): any committed change to an
 * app, its keys, redirect URIs, platforms or consent items has raised the epoch in its own
 * transaction (migration 2026-12-06T1500), so an equal epoch means nothing the entry was built from
 * has changed since. A key's end by the clock alone writes nothing, hence the expiry check.
 *
 * Only what is read for a live key is cached; an unknown key is never remembered, so callers
 * cannot fill the cache with made-up keys. The cache is per database handle: two apps built in one
 * process are two instances with caches of their own.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { keyNow } from './app-key-clock.ts';

/** entries kept per handle; a live key beyond this evicts the oldest (insertion order) */
export const APP_METADATA_CACHE_LIMIT = 5000;

export interface EpochRead<T> {
  value: T;
  /** the revocation epoch read in the same statement as `value` */
  epoch: number;
  /** epoch ms at which the key found ends (rotation overlap), or null for a current key */
  keyExpiresAt: number | null;
}

interface Cache<T> {
  entries: Map<string, EpochRead<T>>;
}

const caches = new WeakMap<object, Map<string, Cache<unknown>>>();

function cacheOf<T>(db: object, name: string): Cache<T> {
  let byName = caches.get(db);
  if (!byName) {
    byName = new Map();
    caches.set(db, byName);
  }
  let cache = byName.get(name);
  if (!cache) {
    cache = { entries: new Map() };
    byName.set(name, cache);
  }
  return cache as Cache<T>;
}

/** The epoch now: one row by its primary key. */
export async function currentEpoch(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('revocation_epoch').select('epoch').where('id', '=', 1).executeTakeFirst();
  // Missing only if the migration did not run: then nothing may be trusted from a cache.
  return row ? Number(row.epoch) : Number.NaN;
}

function keyLive(db: object, read: EpochRead<unknown>): boolean {
  return read.keyExpiresAt === null || read.keyExpiresAt > keyNow(db);
}

/**
 * The cached value for `key` if nothing it was built from has changed, else `load()` (which must
 * read the epoch in its own statement) remembered for next time. `load` answering undefined means
 * no live key: nothing is remembered and a stale entry is dropped.
 */
export async function readThrough<T>(
  db: Kysely<Database>,
  name: string,
  key: string,
  load: () => Promise<EpochRead<T> | undefined>,
  epochNow: (db: Kysely<Database>) => Promise<number> = currentEpoch,
): Promise<T | undefined> {
  // Inside a transaction the reader may see its own uncommitted writes: never cache those.
  if (db.isTransaction) return (await load())?.value;
  const { entries } = cacheOf<T>(db, name);
  const cached = entries.get(key);
  if (cached && keyLive(db, cached) && (await epochNow(db)) === cached.epoch) return cached.value;
  entries.delete(key);
  const read = await load();
  if (!read || !keyLive(db, read)) return undefined;
  if (entries.size >= APP_METADATA_CACHE_LIMIT) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  entries.set(key, read);
  return read.value;
}

/** How many entries a handle holds under `name` (tests and diagnostics). */
export function cachedCount(db: object, name: string): number {
  return caches.get(db)?.get(name)?.entries.size ?? 0;
}
