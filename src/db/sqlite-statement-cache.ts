/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query it runs. SQLite compiles the SQL
 * text into a program each time: on `/v2/user/me`, compiling its three statements cost more CPU
 * than running them (30 % of the process against 20 % in a CPU profile of the bench). This keeps the
 * prepared statements of the texts seen most recently and hands them out again.
 *
 * Rules:
 * - A statement still being iterated (`streamQuery` → `iterate`) is `busy` and cannot run twice at
 *   once: a busy cached statement is never handed out; the caller gets a fresh one, which then
 *   replaces it in the cache.
 * - Bounded: at most `capacity` texts, least recently used dropped first. Texts that carry their
 *   values inline (IN lists of varying length, `sql.raw`) would otherwise grow it without end.
 * - Schema changes need nothing: SQLite re-prepares a statement whose schema changed
 *   (sqlite3_prepare_v2, "SQLITE_SCHEMA"), and closing the database finalizes every statement.
 */
import type SqliteDatabase from 'better-sqlite3';

export const STATEMENT_CACHE_CAPACITY = 500;

export interface StatementCachingDatabase {
  prepare(sql: string): SqliteDatabase.Statement;
  close(): void;
  /** how many texts are cached now (tests) */
  readonly cachedStatements: number;
}

export function withStatementCache(
  db: SqliteDatabase.Database,
  capacity = STATEMENT_CACHE_CAPACITY,
): StatementCachingDatabase {
  // A Map iterates in insertion order: re-inserting on use keeps the least recent first.
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        cache.delete(sql);
        if (!cached.busy) {
          cache.set(sql, cached);
          return cached;
        }
      }
      const statement = db.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close() {
      cache.clear();
      db.close();
    },
    get cachedStatements() {
      return cache.size;
    },
  };
}
