/** App queries only. Every function takes the database or a transaction. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AppIconsTable, AppsTable } from '../../db/tables/apps.ts';
import { appKeyHash, matchesKeyHash } from './app-credentials.ts';
import { keyNow } from './app-key-clock.ts';
import type {
  AppKeyKind,
  AppMember,
  AppPlatforms,
  AppRole,
  AppRow,
  AppSummary,
  ConsentItem,
  ConsentItemId,
  ConsentMode,
} from './apps.types.ts';
import { CLIENT_KEY_KINDS } from './apps.types.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

// ---- apps ---------------------------------------------------------------------------------------

export async function insertApp(db: Executor, app: Insertable<AppsTable>): Promise<void> {
  await db.insertInto('apps').values(app).execute();
}

export async function findAppRow(db: Executor, id: number): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateAppRow(db: Executor, id: number, changes: Partial<AppsTable>): Promise<void> {
  await db.updateTable('apps').set(changes).where('id', '=', id).execute();
}

export async function deleteAppRow(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('apps').where('id', '=', id).execute();
}

export async function listAppsOfAccount(db: Executor, accountId: string): Promise<AppSummary[]> {
  const rows = await db
    .selectFrom('app_members as m')
    .innerJoin('apps as a', 'a.id', 'm.app_id')
    .leftJoin('app_icons as i', 'i.app_id', 'a.id')
    .select(['a.id', 'a.name', 'a.company_name', 'a.created_at', 'm.role', 'i.app_id as icon_app_id'])
    .where('m.account_id', '=', accountId)
    .where('a.deleted_at', 'is', null)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    company_name: r.company_name,
    created_at: r.created_at,
    role: r.role as AppRole,
    has_icon: r.icon_app_id !== null,
  }));
}

/** Every app with its owners' emails: the operator's view (`yeon app list`). */
export async function listAllApps(db: Executor) {
  const apps = await db
    .selectFrom('apps')
    .select(['id', 'name', 'company_name', 'created_at'])
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  const owners = await db
    .selectFrom('app_members as m')
    .innerJoin('accounts as acc', 'acc.id', 'm.account_id')
    .select(['m.app_id', 'acc.email'])
    .where('m.role', '=', 'owner')
    .orderBy('m.created_at')
    .execute();
  return apps.map((a) => ({ ...a, owners: owners.filter((o) => o.app_id === a.id).map((o) => o.email) }));
}

export async function firstOwnerId(db: Executor, appId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('app_members')
    .select('account_id')
    .where('app_id', '=', appId)
    .where('role', '=', 'owner')
    .orderBy('created_at')
    .orderBy('account_id')
    .executeTakeFirst();
  return row?.account_id;
}

// ---- keys ---------------------------------------------------------------------------------------

/**
 * `key` is stored as the caller gives it: admin keys sealed (src/lib/encryption.ts), client keys
 * (public client ids) as they are; `key_hash` finds either (app-credentials.ts appKeyHash).
 */
export async function insertKey(
  db: Executor,
  key: { id: string; key: string; key_hash: string; app_id: number; kind: AppKeyKind; created_at: number },
): Promise<void> {
  await db
    .insertInto('app_keys')
    .values({ ...key, revoked_at: null, expires_at: null })
    .execute();
}

/**
 * Unrevoked keys as stored, newest first: an admin key's `key` is sealed (open it with
 * src/lib/encryption.ts). Keys in a rotation overlap are among them with their `expires_at`, and
 * so may be one whose overlap has just ended but that no rotation has tidied up yet
 * (sweepExpiredKeys): revoking a person's tokens at every key errs on the safe side, and the
 * newest key, the one picked as primary, is always a current one. Whoever shows or counts keys
 * drops the expired ones (app-key-rotation.ts).
 */
export async function liveKeys(db: Executor, appId: number) {
  return db
    .selectFrom('app_keys')
    .select(['id', 'key', 'kind', 'created_at', 'expires_at'])
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A key in its overlap ends at `expiresAt` (app-key-rotation.ts). */
export async function setKeyExpiry(
  db: Executor,
  appId: number,
  keyId: string,
  expiresAt: number,
): Promise<void> {
  await db
    .updateTable('app_keys')
    .set({ expires_at: expiresAt })
    .where('app_id', '=', appId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Keys whose overlap has ended become revoked at their expiry, so that nothing lists them. */
export async function sweepExpiredKeys(db: Executor, appId: number, now: number): Promise<void> {
  await db
    .updateTable('app_keys')
    .set((eb) => ({ revoked_at: eb.ref('expires_at') }))
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '<=', now)
    .execute();
}

/**
 * One indexed lookup by the unique `key_hash`, of a live key: not revoked, and either current or
 * still in its rotation overlap (the clock bound to `db`, app-key-clock.ts): the hot path of every OAuth and admin-key request.
 * The row is found by the hash and then the hash is compared in constant time (matchesKeyHash),
 * so an admin key is never compared readable and never stored readable.
 */
export async function findAppByKey(db: Executor, key: string, kind: AppKeyKind): Promise<AppRow | undefined> {
  const row = await db
    .selectFrom('app_keys as k')
    .innerJoin('apps as a', 'a.id', 'k.app_id')
    .selectAll('a')
    .select('k.key_hash')
    .where('k.key_hash', '=', appKeyHash(key))
    .where('k.kind', '=', kind)
    .where('a.deleted_at', 'is', null)
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', keyNow(db))]))
    .executeTakeFirst();
  if (!row?.key_hash || !matchesKeyHash(key, row.key_hash)) return undefined;
  const { key_hash: _, ...app } = row;
  return app;
}

/** The app of a live client key (REST API, JavaScript or native key: apps.types.ts CLIENT_KEY_KINDS). */
export async function findAppByClientKey(db: Executor, key: string): Promise<AppRow | undefined> {
  return db
    .selectFrom('app_keys as k')
    .innerJoin('apps as a', 'a.id', 'k.app_id')
    .selectAll('a')
    .where('k.key', '=', key)
    .where('k.kind', 'in', [...CLIENT_KEY_KINDS])
    .where('a.deleted_at', 'is', null)
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', keyNow(db))]))
    .executeTakeFirst();
}

export async function revokeKey(db: Executor, appId: number, keyId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('app_keys')
    .set({ revoked_at: now })
    .where('app_id', '=', appId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---- members ------------------------------------------------------------------------------------

export async function memberRole(
  db: Executor,
  appId: number,
  accountId: string,
): Promise<AppRole | undefined> {
  const row = await db
    .selectFrom('app_members')
    .select('role')
    .where('app_id', '=', appId)
    .where('account_id', '=', accountId)
    .where('app_id', 'not in', (eb) => eb.selectFrom('apps').select('id').where('deleted_at', 'is not', null))
    .executeTakeFirst();
  return row?.role as AppRole | undefined;
}

export async function listMembers(db: Executor, appId: number): Promise<AppMember[]> {
  const rows = await db
    .selectFrom('app_members as m')
    .innerJoin('accounts as acc', 'acc.id', 'm.account_id')
    .select(['m.account_id', 'acc.email', 'acc.nickname', 'm.role', 'm.created_at'])
    .where('m.app_id', '=', appId)
    .orderBy('m.created_at')
    .orderBy('m.account_id')
    .execute();
  return rows.map((r) => ({ ...r, role: r.role as AppRole }));
}

export async function insertMember(
  db: Executor,
  member: { app_id: number; account_id: string; role: AppRole; created_at: number },
): Promise<void> {
  await db.insertInto('app_members').values(member).execute();
}

export async function setMemberRole(
  db: Executor,
  appId: number,
  accountId: string,
  role: AppRole,
): Promise<void> {
  await db
    .updateTable('app_members')
    .set({ role })
    .where('app_id', '=', appId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function deleteMember(db: Executor, appId: number, accountId: string): Promise<void> {
  await db
    .deleteFrom('app_members')
    .where('app_id', '=', appId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function countOwners(db: Executor, appId: number): Promise<number> {
  const row = await db
    .selectFrom('app_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- redirect URIs ------------------------------------------------------------------------------

export async function listRedirectUris(
  db: Executor,
  appId: number,
): Promise<{ login: string[]; logout: string[] }> {
  const rows = await db
    .selectFrom('app_redirect_uris')
    .select(['kind', 'uri'])
    .where('app_id', '=', appId)
    .orderBy('kind')
    .orderBy('position')
    .execute();
  return {
    login: rows.filter((r) => r.kind === 'login').map((r) => r.uri),
    logout: rows.filter((r) => r.kind === 'logout').map((r) => r.uri),
  };
}

export async function replaceRedirectUris(
  db: Executor,
  appId: number,
  kind: 'login' | 'logout',
  uris: string[],
): Promise<void> {
  await db.deleteFrom('app_redirect_uris').where('app_id', '=', appId).where('kind', '=', kind).execute();
  if (uris.length === 0) return;
  await db
    .insertInto('app_redirect_uris')
    .values(uris.map((uri, position) => ({ app_id: appId, kind, uri, position })))
    .execute();
}

// ---- consent items ------------------------------------------------------------------------------

export async function listConsentItems(db: Executor, appId: number): Promise<ConsentItem[]> {
  const rows = await db
    .selectFrom('app_consent_items')
    .select(['item', 'mode', 'purpose_ko', 'purpose_en'])
    .where('app_id', '=', appId)
    .execute();
  return rows.map((r) => ({ ...r, item: r.item as ConsentItemId, mode: r.mode as ConsentMode }));
}

export async function upsertConsentItem(
  db: Executor,
  appId: number,
  item: ConsentItem,
  now: number,
): Promise<void> {
  await db
    .insertInto('app_consent_items')
    .values({ app_id: appId, ...item, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['app_id', 'item']).doUpdateSet({
        mode: item.mode,
        purpose_ko: item.purpose_ko,
        purpose_en: item.purpose_en,
        updated_at: now,
      }),
    )
    .execute();
}

// ---- platforms ----------------------------------------------------------------------------------

export async function listPlatforms(db: Executor, appId: number): Promise<AppPlatforms> {
  const rows = await db
    .selectFrom('app_platforms')
    .select(['kind', 'identifier', 'store_url'])
    .where('app_id', '=', appId)
    .orderBy('kind')
    .orderBy('position')
    .execute();
  const android = rows.find((r) => r.kind === 'android');
  const ios = rows.find((r) => r.kind === 'ios');
  return {
    site_urls: rows.filter((r) => r.kind === 'web').map((r) => r.identifier),
    android: android ? { package_name: android.identifier, market_url: android.store_url ?? '' } : null,
    ios: ios ? { bundle_id: ios.identifier, app_store_url: ios.store_url } : null,
  };
}

export async function replacePlatforms(db: Executor, appId: number, p: AppPlatforms): Promise<void> {
  await db.deleteFrom('app_platforms').where('app_id', '=', appId).execute();
  const rows = [
    ...p.site_urls.map((url, position) => ({ kind: 'web', identifier: url, store_url: null, position })),
    ...(p.android
      ? [
          {
            kind: 'android',
            identifier: p.android.package_name,
            store_url: p.android.market_url,
            position: 0,
          },
        ]
      : []),
    ...(p.ios
      ? [{ kind: 'ios', identifier: p.ios.bundle_id, store_url: p.ios.app_store_url, position: 0 }]
      : []),
  ];
  if (rows.length === 0) return;
  await db
    .insertInto('app_platforms')
    .values(rows.map((r) => ({ app_id: appId, ...r })))
    .execute();
}

// ---- webhook secrets ----------------------------------------------------------------------------

/** Current secret first, then secrets still inside their overlap window. */
export async function liveWebhookSecrets(db: Executor, appId: number, now: number) {
  const rows = await db
    .selectFrom('app_webhook_secrets')
    .select(['id', 'secret', 'created_at', 'expires_at'])
    .where('app_id', '=', appId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.sort((a, b) => Number(a.expires_at !== null) - Number(b.expires_at !== null));
}

export async function insertWebhookSecret(
  db: Executor,
  row: { id: string; app_id: number; secret: string; created_at: number },
): Promise<void> {
  await db
    .insertInto('app_webhook_secrets')
    .values({ ...row, expires_at: null })
    .execute();
}

/** Starts the overlap window of the current secret and forgets secrets whose window is over. */
export async function retireWebhookSecrets(
  db: Executor,
  appId: number,
  now: number,
  until: number,
): Promise<void> {
  await db
    .deleteFrom('app_webhook_secrets')
    .where('app_id', '=', appId)
    .where('expires_at', '<=', now)
    .execute();
  await db
    .updateTable('app_webhook_secrets')
    .set({ expires_at: until })
    .where('app_id', '=', appId)
    .where('expires_at', 'is', null)
    .execute();
}

// ---- icon ---------------------------------------------------------------------------------------

export async function findIcon(db: Executor, appId: number) {
  return db.selectFrom('app_icons').selectAll().where('app_id', '=', appId).executeTakeFirst();
}

export async function findIconMeta(db: Executor, appId: number) {
  return db
    .selectFrom('app_icons')
    .select(['content_type', 'byte_size', 'updated_at'])
    .where('app_id', '=', appId)
    .executeTakeFirst();
}

export async function upsertIcon(db: Executor, icon: Insertable<AppIconsTable>): Promise<void> {
  await db
    .insertInto('app_icons')
    .values(icon)
    .onConflict((oc) =>
      oc.column('app_id').doUpdateSet({
        content_type: icon.content_type,
        data_base64: icon.data_base64,
        byte_size: icon.byte_size,
        updated_at: icon.updated_at,
      }),
    )
    .execute();
}

export async function deleteIcon(db: Executor, appId: number): Promise<void> {
  await db.deleteFrom('app_icons').where('app_id', '=', appId).execute();
}
