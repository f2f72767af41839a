/**
 * A revocation epoch every instance checks, so in-memory caches drop what changed at once
 * (docs/decisions/0006-caches-and-revocation.md).
 *
 * `revocation_epoch` holds one row (id 1). Triggers add 1 to `epoch` on every write that changes
 * what an app's client metadata is built from (src/oidc/clients.ts findAppForClient) or what its
 * consent items are: its keys, its Kakao Login columns, its redirect URIs, its platforms, its
 * consent items, and its deletion. A trigger runs inside the writing statement's transaction, so
 * the new epoch is committed with the change or not at all, and no code path can forget it.
 * Other instances read the epoch before trusting a cached entry (src/modules/apps/
 * app-metadata-cache.ts).
 *
 * A counter row, not a sequence: `nextval` is visible before the writer commits, so a reader could
 * cache the old data under the new number. Updates of one row are serialised by its row lock, so
 * epochs commit in order. `apps` triggers only on the columns a client is built from: the
 * dispatcher writes the callback-health columns on every delivery, and those must not churn it.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

/** the child tables of an app whose every change bumps the epoch */
const CHILD_TABLES = ['app_keys', 'app_redirect_uris', 'app_platforms', 'app_consent_items'] as const;

/** the `apps` columns src/oidc/clients.ts builds a client from */
const CLIENT_COLUMNS = [
  'name',
  'kakao_login_enabled',
  'oidc_enabled',
  'client_secret',
  'client_secret_enabled',
  'javascript_origins',
  'require_pkce',
  'strict_oauth',
].join(', ');

const BUMP = 'UPDATE revocation_epoch SET epoch = epoch + 1 WHERE id = 1';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('revocation_epoch')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('epoch', 'bigint', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO revocation_epoch (id, epoch) VALUES (1, 1)`.execute(db);

  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    // SQLite triggers are per row only. Foreign-key cascades (an app's deletion) fire them too.
    const sqliteTrigger = (name: string, event: string, table: string) =>
      sql.raw(`CREATE TRIGGER ${name} AFTER ${event} ON ${table} BEGIN ${BUMP}; END`).execute(db);
    for (const table of CHILD_TABLES)
      for (const event of ['INSERT', 'UPDATE', 'DELETE'])
        await sqliteTrigger(`${table}_${event.toLowerCase()}_epoch`, event, table);
    await sqliteTrigger('apps_update_epoch', `UPDATE OF ${CLIENT_COLUMNS}`, 'apps');
    await sqliteTrigger('apps_delete_epoch', 'DELETE', 'apps');
    return;
  }
  // PostgreSQL: deferred to COMMIT, so a transaction takes the epoch row's lock last, after every
  // other lock it holds; a transaction waiting for it waits for nothing else, and no lock order
  // (an app row, then a key; a consent item, then the app row) can deadlock through it. Once per
  // transaction: a transaction-local setting marks it done (PostgreSQL "set_config", is_local).
  await sql
    .raw(
      `CREATE FUNCTION bump_revocation_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF current_setting('yeon.epoch_bumped', true) IS DISTINCT FROM 'on' THEN
           ${BUMP};
           PERFORM set_config('yeon.epoch_bumped', 'on', true);
         END IF;
         RETURN NULL;
       END $$`,
    )
    .execute(db);
  const pgTrigger = (name: string, event: string, table: string) =>
    sql
      .raw(
        `CREATE CONSTRAINT TRIGGER ${name} AFTER ${event} ON ${table} DEFERRABLE INITIALLY DEFERRED ` +
          'FOR EACH ROW EXECUTE FUNCTION bump_revocation_epoch()',
      )
      .execute(db);
  for (const table of CHILD_TABLES) await pgTrigger(`${table}_epoch`, 'INSERT OR UPDATE OR DELETE', table);
  await pgTrigger('apps_update_epoch', `UPDATE OF ${CLIENT_COLUMNS}`, 'apps');
  await pgTrigger('apps_delete_epoch', 'DELETE', 'apps');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  const names = sqlite
    ? [
        ...CHILD_TABLES.flatMap((t) => ['insert', 'update', 'delete'].map((e) => [`${t}_${e}_epoch`, t])),
        ['apps_update_epoch', 'apps'],
        ['apps_delete_epoch', 'apps'],
      ]
    : [
        ...CHILD_TABLES.map((t) => [`${t}_epoch`, t]),
        ['apps_update_epoch', 'apps'],
        ['apps_delete_epoch', 'apps'],
      ];
  for (const [name, table] of names)
    await sql.raw(sqlite ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ${table}`).execute(db);
  if (!sqlite) await sql`DROP FUNCTION bump_revocation_epoch()`.execute(db);
  await db.schema.dropTable('revocation_epoch').execute();
}
