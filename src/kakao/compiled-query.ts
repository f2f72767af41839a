/**
 * Hot read queries compiled once (issue #8 §3). Kysely builds and compiles a query on every call,
 * and on the Kakao API's hot path that cost more than the indexed lookups themselves. A query made
 * with `compileOnce` is built and compiled the first time it runs on a database, with placeholder
 * arguments; later calls send the same SQL with the real arguments. The SQL is exactly what the
 * builder produces for that database's dialect, so it stays correct on SQLite and PostgreSQL.
 *
 * The builder must not look at its arguments (no branches, no arrays for `in`): they are
 * placeholders while it runs, and only scalar values may fill them.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../db/database.ts';

/** Stands for the builder's i-th argument in the compiled parameters. */
class Placeholder {
  constructor(readonly index: number) {}
}

export function compileOnce<A extends unknown[], R>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<R>,
): (db: Kysely<Database>, ...args: A) => Promise<R[]> {
  // Per database (and per transaction object): the SQL text depends on the dialect.
  const compiled = new WeakMap<Kysely<Database>, CompiledQuery<R>>();
  return async (db, ...args) => {
    let query = compiled.get(db);
    if (!query) {
      query = build(db, ...(args.map((_, i) => new Placeholder(i)) as A)).compile();
      compiled.set(db, query);
    }
    const parameters = query.parameters.map((p) => (p instanceof Placeholder ? args[p.index] : p));
    const { rows } = await db.executeQuery<R>({ ...query, parameters });
    return rows;
  };
}
