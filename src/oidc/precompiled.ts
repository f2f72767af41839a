/**
 * Queries of the OAuth hot path, built and compiled once per database handle and then run with
 * fresh parameters. On a refresh grant, building and compiling a Kysely query cost
 * about as much CPU as SQLite running it; the SQL text never changes, only the parameters do.
 *
 * `precompiled(names, build)` calls `build` once per database handle with a sentinel value for
 * each name, compiles it for that handle's dialect (a transaction shares its handle's dialect
 * adapter, so a token request's transaction, token-transaction.ts, reuses the handle's compiled
 * query instead of compiling its own), and records which compiled parameter is
 * which name. Each run copies the compiled parameters with the sentinels replaced by the values
 * given. It refuses, at first use, a query where a sentinel was inlined into the SQL or a name is
 * missing from the parameters, so a run can never send a sentinel or drop a value.
 */
import { type Compilable, type CompiledQuery, createQueryId, type Kysely, type QueryResult } from 'kysely';
import type { Database } from '../db/database.ts';

type Executor = Kysely<Database>;

const SENTINEL = '\u0000yeon-param:';

interface Compiled {
  query: CompiledQuery;
  /** per compiled parameter: the name it takes its value from, or undefined for a constant */
  slots: Array<string | undefined>;
}

export function precompiled<K extends string, R>(
  names: readonly K[],
  build: (db: Executor, param: Record<K, never>) => Compilable<R>,
): (db: Executor, values: Record<K, unknown>) => Promise<QueryResult<R>> {
  const perDb = new WeakMap<object, Compiled>();

  function compile(db: Executor): Compiled {
    const param = Object.fromEntries(names.map((n) => [n, `${SENTINEL}${n}`])) as Record<K, never>;
    const query = build(db, param).compile();
    if (query.sql.includes(SENTINEL)) throw new Error('precompiled: a parameter was inlined into the SQL');
    const slots = query.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL) ? p.slice(SENTINEL.length) : undefined,
    );
    const missing = names.filter((n) => !slots.includes(n));
    if (missing.length) throw new Error(`precompiled: ${missing.join(', ')} not among the parameters`);
    return { query, slots };
  }

  return (db, values) => {
    // The handle's dialect adapter, which its transactions share (Kysely's executors copy it);
    // a handle with plugins may compile to other SQL, so it is its own key.
    const executor = db.getExecutor();
    const key = executor.plugins.length === 0 ? executor.adapter : db;
    let compiled = perDb.get(key);
    if (!compiled) {
      compiled = compile(db);
      perDb.set(key, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((p, i) => {
      const name = slots[i];
      return name === undefined ? p : values[name as K];
    });
    return db.executeQuery<R>({ sql: query.sql, query: query.query, parameters, queryId: createQueryId() });
  };
}
