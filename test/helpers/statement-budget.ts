/**
 * Counts the SQL statements a request runs, for the statement-budget tests (test/perf/): every
 * statement a database opened after `recordStatements()` runs, BEGIN and COMMIT included, since on
 * PostgreSQL each is a round trip and on SQLite each takes its own lock. Through the `log` hook
 * Kysely offers (src/db/create-db.ts `observeStatements`), which is unset outside these tests.
 */
import type { TestContext } from 'node:test';
import { observeStatements } from '../../src/db/create-db.ts';

export interface StatementRecorder {
  /** Runs `fn` and returns the SQL of each statement run meanwhile, in order. */
  during<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
}

/** Call before the app is built (buildTestApp): only databases opened afterwards are seen. */
export function recordStatements(t: Pick<TestContext, 'after'>): StatementRecorder {
  let current: string[] | undefined;
  observeStatements((sql) => current?.push(sql));
  t.after(() => observeStatements(undefined));
  return {
    async during(fn) {
      if (current) throw new Error('statement recorder: one recording at a time');
      const statements: string[] = [];
      current = statements;
      try {
        return { result: await fn(), statements };
      } finally {
        current = undefined;
      }
    },
  };
}

/** One line per statement (its first words and table), for a readable assertion message. */
export function describeStatements(statements: string[]): string {
  return statements.map((sql, i) => `${i + 1}. ${sql.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n');
}
