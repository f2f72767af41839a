/**
 * createDb(config) → Kysely<Database>: better-sqlite3 (WAL, busy timeout, foreign keys) by default,
 * `pg` when DATABASE_URL is postgres://. SQLite statements are prepared once per
 * SQL text and reused (sqlite-statement-cache.ts); PostgreSQL's are named per connection, so the
 * server keeps their plans (pg-named-statements.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type LogEvent,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
} from 'kysely';
import type pg from 'pg';
import type { DatabaseConfig } from '../config/load-config.ts';
import { makePrivateFile } from '../lib/private-files.ts';
import type { Database } from './database.ts';
import { nameStatements } from './pg-named-statements.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';

export type Db = Kysely<Database>;
export type DbKind = DatabaseConfig['kind'];

const INT8_OID = 20;
const NUMERIC_OID = 1700;

export const WAL_CHECKPOINT_PAGES = 4000;

/**
 * The database file and its -wal and -shm companions hold every account and app: only yeon's user
 * may read them (0600), in a folder created 0700 (OWASP ASVS V14.1). Files left 0644 by an older
 * release or a umask are tightened at every open. SQLite creates a new -wal or -shm with the
 * database file's own mode (os_unix.c findCreateFileMode), so they stay 0600 after a checkpoint.
 */
function makeSqliteFilesPrivate(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) makePrivateFile(`${file}${suffix}`);
}

function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  // A commit appends its pages to the WAL; a checkpoint copies them back and fsyncs, by default
  // every 1,000 pages, i.e. every ~200 token inserts. Every 4,000 pages, a page written by many
  // commits is copied back once instead of four times: an oidc_payloads insert costs 63 µs of CPU
  // instead of 78. The WAL then holds up to ~16 MB (4 KiB pages, SQLite's
  // default) between checkpoints, and is cut back to that after one (journal_size_limit) if a long
  // reader let it grow further. docs/decisions/0004-sqlite-hot-path.md
  sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  sqlite.pragma(`journal_size_limit = ${WAL_CHECKPOINT_PAGES * 4096}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  if (file !== ':memory:') makeSqliteFilesPrivate(file);
  return sqlite;
}

/**
 * Every SQLite transaction starts with BEGIN IMMEDIATE, not Kysely's BEGIN (deferred). A deferred
 * transaction that reads and then writes while another process (`yeon worker` beside
 * `yeon serve`) has committed meanwhile fails at once with "database is locked": busy_timeout
 * cannot help, because its snapshot is already stale. Two processes each running 2,000
 * read-then-update transactions on one file lost 132 of them that way; taking the write lock at
 * BEGIN makes the second wait (busy_timeout) instead, and none fail (test/db/sqlite-transactions).
 * Within one process nothing changes: Kysely runs one SQLite connection, one query at a time.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Tests only (test/helpers/statement-budget.ts): sees the SQL of every statement run on databases
 * opened while it is set, BEGIN and COMMIT included. Unset, Kysely gets no `log` at all, so
 * production pays nothing for it.
 */
let statementObserver: ((sql: string) => void) | undefined;
export function observeStatements(observer: ((sql: string) => void) | undefined): void {
  statementObserver = observer;
}
const observed = () => {
  const observer = statementObserver;
  return observer ? { log: (event: LogEvent) => observer(event.query.sql) } : {};
};

/** What `yeon serve` and `yeon worker` log when `onConnectionLost` fires. */
export const CONNECTION_LOST = 'a database connection was lost; the next query reconnects';

/**
 * pg is required only when the database is PostgreSQL: an instance on SQLite never loads it (about
 * 17 MB resident and 140 ms of start-up). Synchronous, as createDb is.
 */
function loadPg(): typeof pg {
  return createRequire(import.meta.url)('pg') as typeof pg;
}

export function createDb(config: DatabaseConfig, onConnectionLost?: (err: Error) => void): Db {
  if (config.kind === 'sqlite') {
    const database = withStatementCache(openSqlite(config.file));
    return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }), ...observed() });
  }
  const pg = loadPg();
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    // A database that does not answer must fail a request fast (503 with Retry-After, see
    // isDatabaseUnavailable) instead of holding it until the client or the proxy gives up.
    connectionTimeoutMillis: config.connectTimeoutMs ?? 2000,
    // TCP keepalive probes after 10 s idle (the OS default waits 2 h), so a connection whose peer
    // vanished without a reset (failover, a cut network) is found dead and dropped, not reused.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Our bigints are epoch ms and safe-integer ids: read them back as numbers, not strings.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A connection can be lost (server restart, failover, pg_terminate_backend, a test dropping its
  // database). pg then emits 'error': on the pool for an idle client, and on the client itself
  // for one checked out mid-query, where pg-pool leaves no listener: unhandled, that 'error'
  // crashes the process. The query in flight still rejects (so its transaction fails whole),
  // the dead client is dropped on release, the next query gets a fresh connection, and /readyz
  // reports a database that stays away.
  pool.on('error', (err) => onConnectionLost?.(err));
  pool.on('connect', (client) => {
    client.on('error', (err) => onConnectionLost?.(err));
    if (config.preparedStatements !== false) nameStatements(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...observed() });
  pools.set(db, pool);
  return db;
}

const pools = new WeakMap<Db, pg.Pool>();

/** The PostgreSQL pool's connections now (for /metrics); undefined on SQLite, which has no pool. */
export function poolStats(db: Db): { inUse: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(db);
  if (!pool) return undefined;
  return { inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** SQLSTATE classes and codes that mean "the database is not there right now" (PostgreSQL Appendix A). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
/** Socket errors on the way to the database (Node.js "Common system errors"). */
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** pg and pg-pool say these in words only, with no code. */
const UNAVAILABLE_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|connection timeout|client has encountered a connection error|not queryable|cannot use a pool after calling end/i;

/**
 * The one place that decides whether an error means the database cannot be reached (PostgreSQL
 * down, restarting or failing over, the pool's connect timeout, a connection cut mid-query) or
 * SQLite's lock wait ran out. Such a request is answered 503 with Retry-After
 * (`database_unavailable`, RFC 9110 §15.6.4), never 500: the cause is outside the request and a
 * retry will succeed once the pool reconnects, which it does by itself on the next query.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code) || code === 'SQLITE_BUSY') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  // Node's connect to a name with several addresses fails with an AggregateError of each attempt.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
