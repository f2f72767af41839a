/**
 * PostgreSQL parses, analyses and plans an unnamed statement every time it runs (PostgreSQL
 * manual, "Message Flow: Extended Query": the unnamed statement lasts until the next Parse). For
 * the bearer path's five-table join that work cost more than running it: `/v2/user/me` on
 * PostgreSQL did 1,500 requests/s, each waiting on the server, and 5,300/s once its statement was
 * named (bench part 3, same machine, same run of the baseline). This is the PostgreSQL counterpart
 * of sqlite-statement-cache.ts.
 *
 * A parameterised query Kysely sends becomes a named statement of its connection, so the server
 * keeps its parse and plan (and, after five runs, may keep a generic plan; PREPARE, "Notes").
 * Rules:
 * - The name is a digest of the text: the same text always gets the same name, and pg refuses one
 *   name for two texts, so two texts never share one.
 * - Bounded: at most `capacity` names per connection; further texts run unnamed as before. Texts
 *   that carry a varying number of parameters (IN lists) would otherwise grow the server's memory.
 * - Texts without parameters (BEGIN, COMMIT, SAVEPOINT, migrations' DDL) run as simple queries,
 *   untouched.
 * - A schema change by another instance (a rolling upgrade's migration) can make a kept plan of a
 *   `SELECT *` or `RETURNING *` invalid: PostgreSQL answers 0A000 "cached plan must not change
 *   result type" (it re-plans other changes itself). That connection stops naming statements, and
 *   the query runs again unnamed, unless it was inside a transaction that the error has already
 *   aborted; then it fails once and its caller's transaction rolls back whole.
 * - Poolers in transaction mode that cannot carry named statements across server connections
 *   (PgBouncer before 1.21) need YEON_DB_PREPARED_STATEMENTS=false.
 */
import crypto from 'node:crypto';
import type pg from 'pg';

export const NAMED_STATEMENTS_PER_CONNECTION = 256;

/** SQLSTATE 0A000 with this message: a kept plan whose result columns changed (plancache.c). */
const STALE_PLAN = /cached plan must not change result type/;
const BEGINS_TRANSACTION = /^\s*(begin|start\s+transaction)\b/i;
const ENDS_TRANSACTION = /^\s*(commit|end|abort|rollback(?!\s+to\b))\b/i;

/** text → name, shared by every connection; cleared when full so odd texts cannot grow it. */
const names = new Map<string, string>();
const NAMES_KEPT = 2000;

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `yeon_${crypto.createHash('sha256').update(text).digest('base64url').slice(0, 27)}`;
    if (names.size >= NAMES_KEPT) names.clear();
    names.set(text, name);
  }
  return name;
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Makes one pooled connection run Kysely's parameterised queries as named statements. */
export function nameStatements(client: pg.ClientBase, capacity = NAMED_STATEMENTS_PER_CONNECTION): void {
  const named = new Set<string>();
  const state = { stopped: false, inTransaction: false };
  const original = client.query.bind(client) as Query;

  const run = async (name: string, text: string, values: unknown[]) => {
    try {
      return await original({ name, text, values });
    } catch (err) {
      if (!STALE_PLAN.test((err as Error).message ?? '')) throw err;
      state.stopped = true;
      if (state.inTransaction) throw err;
      return original(text, values);
    }
  };

  (client as unknown as { query: Query }).query = (config, values, callback) => {
    if (typeof config !== 'string') return original(config, values, callback);
    if (BEGINS_TRANSACTION.test(config)) state.inTransaction = true;
    else if (ENDS_TRANSACTION.test(config)) state.inTransaction = false;
    if (state.stopped || callback !== undefined || !Array.isArray(values) || values.length === 0) {
      return original(config, values, callback);
    }
    const name = statementName(config);
    if (!named.has(name)) {
      if (named.size >= capacity) return original(config, values, callback);
      named.add(name);
    }
    return run(name, config, values);
  };
}
