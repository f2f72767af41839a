/**
 * One database transaction per token request (the code exchange and the refresh grant), so their
 * writes commit together or not at all: the refresh grace claim, the consumed code or rotated
 * refresh token, the new access and refresh tokens, and the answer kept for a repeat. On SQLite that
 * is one WAL commit instead of one per write; on either database a request that fails between two
 * writes leaves none of them behind (a consumed refresh token without its successor would turn the
 * client's retry into a replay and revoke the family, RFC 9700 §4.14.2).
 *
 * How: the transaction is held in an AsyncLocalStorage for the request; every query the OAuth
 * engine makes while serving it (the adapter, findAccount, findClient, the Kakao layer) goes
 * through `scopedDb(db)`, which answers that transaction. On SQLite this matters twice over:
 * Kysely runs one connection and holds it for the whole transaction, so a query on the bare handle
 * inside the scope would wait for the transaction that waits for it.
 *
 * Outcome: an exception or a 5xx answer (oidc-provider turns its adapter's errors into 500
 * `server_error` itself) rolls back; any other answer commits, a 4xx included, because a refused
 * replay must keep what it revoked (lib/actions/grants/refresh_token.js, kysely-adapter.ts `consume`).
 *
 * Reads inside stay as fresh as before: PostgreSQL runs READ COMMITTED (each statement sees the
 * latest commits), and SQLite's transaction begins IMMEDIATE (create-db.ts), holding the write lock,
 * so no other writer commits while it runs. A revocation (docs/decisions/0006) committed before a
 * statement is seen by that statement, as it was with one autocommit per statement.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Database } from '../db/database.ts';

interface Scope {
  db: Db;
  trx: Transaction<Database>;
}

const scope = new AsyncLocalStorage<Scope>();

/** The request's transaction on `db` when one is open, else `db` itself. */
export function scopedDb(db: Db): Db {
  const open = scope.getStore();
  return open !== undefined && open.db === db ? open.trx : db;
}

const ROLL_BACK = Symbol('roll back the token request');

/**
 * Runs `fn` in a transaction on `db` that every `scopedDb(db)` in it answers. Rolls back when `fn`
 * throws or when `status()` is 5xx once `fn` has returned; commits otherwise.
 */
export async function inTokenTransaction<T>(
  db: Db,
  status: () => number,
  fn: (trx: Db) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      result = await scope.run({ db, trx }, () => fn(trx));
      if (status() >= 500) throw ROLL_BACK;
    });
  } catch (err) {
    if (err !== ROLL_BACK) throw err;
  }
  return result as T;
}
