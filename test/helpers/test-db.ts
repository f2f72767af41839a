/**
 * The database lane for a test run: TEST_DB=sqlite (default; a fresh in-memory database per app)
 * or TEST_DB=postgres (a fresh database per app on TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/test, dropped afterwards). The PostgreSQL lane never skips:
 * when the server is unreachable, every test fails with a message saying so.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config/load-config.ts';

export const TEST_DB = (process.env.TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
if (TEST_DB !== 'sqlite' && TEST_DB !== 'postgres')
  throw new Error(`TEST_DB must be sqlite or postgres, got ${TEST_DB}`);

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  config: DatabaseConfig;
  /** env entries that point a child process (CLI, server) at the same database */
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `TEST_DB=postgres but PostgreSQL is unreachable at ${ADMIN_URL} (${(err as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set TEST_POSTGRES_URL.',
    );
  }
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database. For SQLite, `file` may ask for an on-disk file (needed across processes). */
export async function createTestDatabase(options: { sqliteFile?: string } = {}): Promise<TestDatabase> {
  if (TEST_DB === 'sqlite') {
    const file = options.sqliteFile ?? ':memory:';
    return {
      config: { kind: 'sqlite', file },
      env: { DATABASE_URL: `sqlite:${file}` },
      drop: async () => {},
    };
  }
  const name = `yeon_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString(), poolSize: 5 },
    env: { DATABASE_URL: url.toString() },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
