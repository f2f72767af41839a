/**
 * Bulk seeding command for the connected-services benchmark (issue #8 §5):
 *
 *   node --import tsx bench/seed-connections.ts --total 1000000 --apps 3,4,5,…
 *
 * Adds filler people, each linked to every app in `--apps`, until the connections table holds
 * `--total` rows. Multi-row INSERTs (500 rows each) inside transactions of 50,000 rows, through
 * Kysely so the same code runs on SQLite and PostgreSQL (database from DATABASE_URL / YEON_DATA_DIR,
 * like `yeon serve`). Filler links have no consent rows: the page reads consents by the account's
 * own connection ids only. Prints one JSON line: rows inserted, seconds, rows/s.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config/load-config.ts';
import { createDb } from '../src/db/create-db.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const total = Number(arg('--total'));
const apps = (arg('--apps') ?? '').split(',').filter(Boolean).map(Number);
if (!Number.isInteger(total) || total < 1 || apps.length === 0) {
  process.stderr.write('usage: seed-connections.ts --total N --apps ID,ID,…\n');
  process.exit(2);
}

const ROWS_PER_INSERT = 500;
const ROWS_PER_TRANSACTION = 50_000;

const config = loadConfig(process.env);
const db = createDb(config.database);
await migrateToLatest(db);
const t0 = performance.now();
let inserted = 0;
try {
  const count = async (table: 'connections' | 'accounts', like?: string) => {
    let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (like) q = q.where('email_normalized' as never, 'like', like as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  let missing = total - (await count('connections'));
  let next = await count('accounts', 'filler%@bench.invalid');
  const now = Date.now();
  while (missing > 0) {
    const peopleThisTx = Math.max(
      1,
      Math.min(Math.ceil(missing / apps.length), ROWS_PER_TRANSACTION / apps.length),
    );
    const rows = Math.min(missing, peopleThisTx * apps.length);
    const first = next;
    await db.transaction().execute(async (trx) => {
      const accounts = Array.from({ length: peopleThisTx }, (_, i) => {
        const email = `filler${first + i}@bench.invalid`;
        return {
          id: randomUUID(),
          email,
          email_normalized: email,
          password_hash: '!',
          nickname: `filler${first + i}`,
          profile_image_url: null,
          name: null,
          gender: null,
          birthday: null,
          birthyear: null,
          age_range: null,
          phone_number: null,
          locale: null,
          created_at: now,
          updated_at: now,
        };
      });
      for (let i = 0; i < accounts.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto('accounts')
          .values(accounts.slice(i, i + ROWS_PER_INSERT))
          .execute();
      }
      let batch: Array<Record<string, unknown>> = [];
      let done = 0;
      for (const account of accounts) {
        for (const appId of apps) {
          if (done >= rows) break;
          batch.push({
            id: randomUUID(),
            app_id: appId,
            account_id: account.id,
            app_user_id: 1_000_000_000 + next * 1000 + (done % apps.length),
            status: 'linked',
            connected_at: now,
            unlinked_at: null,
            unlinked_by: null,
            notification_id: null,
          });
          done++;
          if (batch.length === ROWS_PER_INSERT) {
            await trx
              .insertInto('connections')
              .values(batch as never)
              .execute();
            batch = [];
          }
        }
        next++;
      }
      if (batch.length)
        await trx
          .insertInto('connections')
          .values(batch as never)
          .execute();
    });
    inserted += rows;
    missing -= rows;
  }
} finally {
  await db.destroy();
}
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ inserted, seconds, rowsPerS: inserted / seconds })}\n`);
