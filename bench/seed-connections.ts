/**
 * Bulk seeding command for the connected-services benchmark:
 *
 *   node --import tsx bench/seed-connections.ts --total 10000000 --apps 3,4,5,…
 *
 * Adds filler people, each linked to every app in `--apps` (the last one to the first few, to hit
 * the total exactly), until the connections table holds `--total` rows; database from DATABASE_URL /
 * YEON_DATA_DIR, like `yeon serve`. Prints one JSON line: rows inserted, seconds, rows/s.
 *
 * The rows satisfy every constraint the service relies on (an account per person, one live link per
 * (app, person), app user ids unique within an app), but are generated inside the database by one
 * INSERT … SELECT per table per transaction of ~1 M links (a recursive CTE on SQLite,
 * generate_series on PostgreSQL), not sent row by row from here: that took hours for 10 M. Ids
 * have the shape of `newId()` (prefix, time, 20 hex digits) with a counter for the random part, so
 * the id and account indexes fill in ascending order. Filler links carry no consent rows and no
 * app_user_ids rows: the page reads neither for other people, and writing the app_user_ids rows
 * (three more B-trees per link) doubled the seeding time, which decides whether 10 M fits the
 * bench's budget.
 *
 * Durability is traded for speed on this connection only: SQLite `synchronous = OFF` and a rollback
 * journal in memory until the end (a crash mid-seed can spoil the bench's throw-away database),
 * PostgreSQL `synchronous_commit = off`.
 * The schema is left as the migrations made it (no index is dropped and rebuilt).
 */
import fs from 'node:fs';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { loadConfig } from '../src/config/load-config.ts';
import { createDb } from '../src/db/create-db.ts';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const total = Number(arg('--total'));
const apps = (arg('--apps') ?? '').split(',').filter(Boolean).map(Number);
if (!Number.isInteger(total) || total < 1 || apps.length === 0 || !apps.every(Number.isSafeInteger)) {
  process.stderr.write('usage: seed-connections.ts --total N --apps ID,ID,…\n');
  process.exit(2);
}

/** Links per transaction: big enough that commits cost nothing, small enough for the WAL file. */
const LINKS_PER_TRANSACTION = 1_000_000;
/** Filler app user ids: far above what a person's real links draw in practice, unique per app. */
const APP_USER_ID_BASE = 4_000_000_000_000_000;

const config = loadConfig(process.env);
const db = createDb(config.database);
const isSqlite = config.database.kind === 'sqlite';
/** The time part of `newId()`, so filler ids look like (and sort like) ids made now. */
const now = Date.now();
const timePart = now.toString(36).padStart(9, '0');

/** Filler people k0..k1 (inclusive), each linked to every app of `chunkApps`. */
async function seedPeople(trx: Kysely<Database>, k0: number, k1: number, chunkApps: number[]) {
  const n = apps.length;
  // The numbers k0..k1 and the apps with their position j, as a row source for INSERT … SELECT.
  const people = isSqlite
    ? sql`WITH RECURSIVE people(k) AS (
        SELECT CAST(${k0} AS INTEGER) UNION ALL SELECT k + 1 FROM people WHERE k < ${k1})`
    : sql`WITH people(k) AS (SELECT generate_series(${k0}::bigint, ${k1}::bigint))`;
  const links = isSqlite
    ? sql`${people}, links(k, j, app_id) AS (
        SELECT k, CAST(a.key AS INTEGER), CAST(a.value AS INTEGER)
        FROM people CROSS JOIN json_each(${JSON.stringify(chunkApps)}) AS a)`
    : sql`${people}, links(k, j, app_id) AS (
        SELECT k, a.j - 1, a.app_id
        FROM people CROSS JOIN unnest(${chunkApps}::bigint[]) WITH ORDINALITY AS a(app_id, j))`;
  const hex20 = (v: RawBuilder<unknown>) =>
    isSqlite ? sql`printf('%020x', ${v})` : sql`lpad(to_hex(${v}), 20, '0')`;
  // Typed casts: PostgreSQL cannot infer a parameter's type from a SELECT list.
  const time = sql`CAST(${timePart} AS TEXT)`;
  const at = sql`CAST(${now} AS BIGINT)`;
  const appUserId = sql`CAST(${APP_USER_ID_BASE} AS BIGINT) + k`;
  const accountId = sql`'acc_' || ${time} || ${hex20(sql`k`)}`;
  const email = sql`'filler' || k || '@bench.invalid'`;

  await sql`${people}
    INSERT INTO accounts (id, email, email_normalized, password_hash, nickname, created_at, updated_at)
    SELECT ${accountId}, ${email}, ${email}, '!', 'filler' || k, ${at}, ${at} FROM people`.execute(trx);
  await sql`${links}
    INSERT INTO connections (id, app_id, account_id, app_user_id, status, connected_at)
    SELECT 'con_' || ${time} || ${hex20(sql`k * CAST(${n} AS BIGINT) + j`)}, app_id, ${accountId},
      ${appUserId}, 'linked', ${at}
    FROM links`.execute(trx);
}

const t0 = performance.now();
let inserted = 0;
try {
  await migrateToLatest(db);
  if (isSqlite) {
    // The bench's server is stopped while this runs (bench/parts/page.ts). A rollback journal in
    // memory writes each page once (WAL writes it twice: log, then checkpoint); switching needs
    // the only connection, else SQLite stays in WAL and this is merely slower. WAL is restored below.
    await sql`PRAGMA journal_mode = MEMORY`.execute(db);
    await sql`PRAGMA synchronous = OFF`.execute(db);
    await sql`PRAGMA cache_size = -262144`.execute(db);
  } else {
    await sql`SET synchronous_commit = off`.execute(db);
  }
  const count = async (query: RawBuilder<{ n: number | string }>) =>
    Number((await query.execute(db)).rows[0]!.n);
  const missing = total - (await count(sql<{ n: number | string }>`SELECT count(*) AS n FROM connections`));
  let next = await count(
    sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM accounts WHERE email_normalized LIKE 'filler%@bench.invalid'`,
  );
  const fullPeople = Math.max(0, Math.floor(missing / apps.length));
  const remainder = Math.max(0, missing) % apps.length;
  const peoplePerTx = Math.max(1, Math.floor(LINKS_PER_TRANSACTION / apps.length));
  for (let done = 0; done < fullPeople; done += peoplePerTx) {
    const people = Math.min(peoplePerTx, fullPeople - done);
    await db.transaction().execute((trx) => seedPeople(trx, next, next + people - 1, apps));
    next += people;
    inserted += people * apps.length;
  }
  if (remainder > 0) {
    await db.transaction().execute((trx) => seedPeople(trx, next, next, apps.slice(0, remainder)));
    inserted += remainder;
  }
  // PostgreSQL: autovacuum would analyze the grown tables soon; do it now so the measured plans
  // are the ones a settled production database gets. SQLite plans without statistics, as yeon runs.
  if (!isSqlite && inserted > 0) {
    await sql`ANALYZE accounts, connections`.execute(db);
    // The rows reach the disk before the clock stops (see below); needs pg_checkpoint or superuser.
    await sql`CHECKPOINT`.execute(db).catch(() => undefined);
  }
} finally {
  if (isSqlite) await sql`PRAGMA journal_mode = WAL`.execute(db);
  await db.destroy();
}
// With synchronous = OFF the new gigabytes sit dirty in the OS page cache; the measured server's
// first checkpoint would fsync the file and wait for all of them. Flush here, inside the timing.
if (config.database.kind === 'sqlite' && inserted > 0) {
  const fd = fs.openSync(config.database.file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ inserted, seconds, rowsPerS: inserted / seconds, cpuSeconds })}\n`);
