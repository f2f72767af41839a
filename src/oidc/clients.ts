/**
 * The apps registry as oidc-provider clients (docs/decisions/0002 "Storage"; docs/decisions/0005).
 *
 * Every app key Kakao accepts as `client_id` is a client of its own, so the ID token's `aud` is the
 * key that was used (Kakao REST API "OpenID Connect": `aud` is the app key):
 * - the REST API key: `redirect_uris` = the app's login redirect URIs. Secret on → its only method
 *   is `client_secret_post` (Kakao's, §5.2); secret off → a public client (`none`).
 * - the JavaScript key (Kakao JavaScript SDK): a public client whose redirect URIs are the app's
 *   login redirect URIs on one of its registered Web domains (web-origins.ts).
 * - the native app key (Kakao Android/iOS SDKs): a public `native` client whose one redirect URI is
 *   the custom scheme `kakao{NATIVE_APP_KEY}://oauth` (RFC 8252 §7.1), only while the app has an
 *   Android or iOS platform registered.
 * PKCE is optional for all of them, as at Kakao, unless the app sets "Require PKCE" (provider.ts
 * `pkce.required` reads `yeon_require_pkce`). A dummy `client_secret` sent by a public client
 * (passport-kakao sends `kakao`) is dropped by the Kakao layer.
 * A reissued key (app-key-rotation.ts) stays a client of its own until its overlap ends: its codes,
 * tokens and refresh tokens keep working, since the connection and the app user id belong to the
 * app, not to the key. oidc-provider caches a client only by its metadata, and asks `findClient`
 * on every request (lib/models/client.js `Client.find`), so the moment the overlap ends (or the
 * key is stopped) the old key is an unknown client everywhere at once. `findAppForClient` may answer
 * from this instance's memory, but only after reading the revocation epoch that every change to an
 * app's keys or client metadata raises in its own transaction, and checking the key's expiry
 * against the clock (docs/decisions/0006-caches-and-revocation.md).
 * `post_logout_redirect_uris` = the app's logout redirect URIs. An app with Kakao Login off has no
 * client: /oauth/authorize and /oauth/token refuse it (KOE004, kakao-layer-errors.ts).
 */
import Provider, { type AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { keyringOf, open } from '../lib/encryption.ts';
import { keyNow } from '../modules/apps/app-key-clock.ts';
import { type EpochRead, readThrough } from '../modules/apps/app-metadata-cache.ts';
import {
  type AppRow,
  CLIENT_KEY_KINDS,
  type ClientKeyKind,
  isClientKeyKind,
} from '../modules/apps/apps.types.ts';
import { isWebOriginOf } from '../modules/apps/web-origins.ts';
import { oidcEnabledForApp } from './consent-state.ts';
import { fastifyRequestOf } from './oidc.plugin.ts';
import { precompiled } from './precompiled.ts';
import { scopedDb } from './token-transaction.ts';

/** Extra client metadata yeon keeps on each client (oidc-provider `extraClientMetadata`). */
export const YEON_CLIENT_PROPERTIES = [
  'yeon_app_id',
  'yeon_oidc_enabled',
  'yeon_require_pkce',
  'yeon_strict_oauth',
  'yeon_key_kind',
] as const;

/** The app columns a client is built from (and the Kakao layer checks). */
export type ClientApp = Pick<
  AppRow,
  | 'id'
  | 'name'
  | 'kakao_login_enabled'
  | 'oidc_enabled'
  | 'client_secret'
  | 'client_secret_enabled'
  | 'javascript_origins'
  | 'require_pkce'
  | 'strict_oauth'
>;

export interface AppForClient {
  app: ClientApp;
  /** the key used as `client_id` */
  clientId: string;
  keyKind: ClientKeyKind;
  redirectUris: string[];
  logoutRedirectUris: string[];
  /** whether the app has an Android or iOS platform (the native key's redirect needs one) */
  hasNativePlatform: boolean;
}

/** Kakao's redirect URI for the native SDKs' login (Kakao Android/iOS SDK "Kakao Login"). */
export function nativeRedirectUri(nativeAppKey: string): string {
  return `kakao${nativeAppKey}://oauth`;
}

function redirectUrisFor(found: AppForClient): string[] {
  switch (found.keyKind) {
    case 'rest_api':
      return found.redirectUris;
    case 'javascript':
      return found.redirectUris.filter((uri) => isWebOriginOf(found.app, uri));
    case 'native':
      return found.hasNativePlatform ? [nativeRedirectUri(found.clientId)] : [];
  }
}

/** Only the REST API key with the client secret on authenticates; every other key is public. */
export function isConfidential(found: Pick<AppForClient, 'app' | 'keyKind'>): boolean {
  return found.keyKind === 'rest_api' && !!found.app.client_secret_enabled;
}

/** Client metadata for one app key; undefined when Kakao Login is off. */
export function appToClient(found: AppForClient): AdapterPayload | undefined {
  const { app, clientId, keyKind } = found;
  if (!app.kakao_login_enabled) return undefined;
  const confidential = isConfidential(found);
  return {
    client_id: clientId,
    ...(confidential ? { client_secret: app.client_secret } : {}),
    token_endpoint_auth_method: confidential ? 'client_secret_post' : 'none',
    application_type: keyKind === 'native' ? 'native' : 'web',
    redirect_uris: redirectUrisFor(found),
    post_logout_redirect_uris: keyKind === 'native' ? [] : found.logoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    client_name: app.name,
    // Kakao's ID token always carries auth_time (Kakao REST API "ID token payload"). oidc-provider
    // refuses this flag on requests without `openid`, which only Kakao-mode OIDC apps always have.
    require_auth_time: oidcEnabledForApp(app) && !app.strict_oauth,
    yeon_app_id: app.id,
    yeon_oidc_enabled: oidcEnabledForApp(app),
    yeon_require_pkce: !!app.require_pkce,
    yeon_strict_oauth: !!app.strict_oauth,
    yeon_key_kind: keyKind,
  };
}

/**
 * The app behind a live client key with its redirect URIs, in one query: every token request
 * looks its client up here, so the app row and its URI rows come back together (one row per URI,
 * or one row with a null URI) from a precompiled statement.
 */
const appWithRedirectUris = precompiled(['key', 'now'], (db, p) =>
  db
    .selectFrom('app_keys as k')
    .innerJoin('apps as a', 'a.id', 'k.app_id')
    .leftJoin('app_redirect_uris as u', 'u.app_id', 'a.id')
    // the epoch in the same statement, so the rows and the epoch cached with them are one snapshot
    .leftJoin('revocation_epoch as e', (j) => j.on('e.id', '=', 1))
    .select([
      'e.epoch',
      'k.kind as key_kind',
      'k.expires_at as key_expires_at',
      'a.id',
      'a.name',
      'a.kakao_login_enabled',
      'a.oidc_enabled',
      'a.client_secret',
      'a.client_secret_enabled',
      'a.javascript_origins',
      'a.require_pkce',
      'a.strict_oauth',
      'u.kind as uri_kind',
      'u.uri',
    ])
    .where('k.key', '=', p.key)
    .where('k.kind', 'in', [...CLIENT_KEY_KINDS])
    .where('a.deleted_at', 'is', null)
    .where('k.revoked_at', 'is', null)
    // a reissued key is its own client until its overlap ends, then it is no client at all
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', p.now)]))
    .orderBy('u.position'),
);

const nativePlatformCount = precompiled(['appId'], (db, p) =>
  db
    .selectFrom('app_platforms')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', p.appId)
    .where('kind', 'in', ['android', 'ios']),
);

const epochNow = precompiled([], (db) =>
  db.selectFrom('revocation_epoch').select('epoch').where('id', '=', 1),
);

/** What is cached per client key: the app's client secret stays sealed in memory. */
type SealedAppForClient = AppForClient;

async function loadAppForClient(
  db: Db,
  clientId: string,
): Promise<EpochRead<SealedAppForClient> | undefined> {
  const { rows } = await appWithRedirectUris(scopedDb(db), { key: clientId, now: keyNow(db) });
  const row = rows[0];
  if (!row || !isClientKeyKind(row.key_kind)) return undefined;
  const app: ClientApp = {
    id: row.id,
    name: row.name,
    kakao_login_enabled: row.kakao_login_enabled,
    oidc_enabled: row.oidc_enabled,
    client_secret: row.client_secret,
    client_secret_enabled: row.client_secret_enabled,
    javascript_origins: row.javascript_origins,
    require_pkce: row.require_pkce,
    strict_oauth: row.strict_oauth,
  };
  const uris = (kind: string) => rows.filter((r) => r.uri_kind === kind).map((r) => r.uri as string);
  // A second statement: a platform change committed in between only makes this newer than its
  // epoch, and the next read sees the epoch moved and reads again.
  const hasNativePlatform =
    row.key_kind === 'native' &&
    Number((await nativePlatformCount(scopedDb(db), { appId: row.id })).rows[0]?.n) > 0;
  return {
    value: {
      app,
      clientId,
      keyKind: row.key_kind,
      redirectUris: uris('login'),
      logoutRedirectUris: uris('logout'),
      hasNativePlatform,
    },
    // null (no epoch row) never equals a later read, so such an entry is never served
    epoch: row.epoch === null ? Number.NaN : Number(row.epoch),
    keyExpiresAt: row.key_expires_at === null ? null : Number(row.key_expires_at),
  };
}

/**
 * The app behind a client key (REST API, JavaScript or native), with its redirect URIs. Served
 * from this instance's cache while the revocation epoch is unchanged and the key has not reached
 * its expiry (app-metadata-cache.ts, docs/decisions/0006-caches-and-revocation.md).
 */
export async function findAppForClient(db: Db, clientId: string): Promise<AppForClient | undefined> {
  if (!clientId || clientId.length > 200) return undefined;
  const sealed = await readThrough(
    db,
    'client',
    clientId,
    () => loadAppForClient(db, clientId),
    async (d) => {
      const epoch = (await epochNow(scopedDb(d), {})).rows[0]?.epoch;
      return epoch === undefined ? Number.NaN : Number(epoch);
    },
  );
  if (!sealed) return undefined;
  // Stored sealed (src/lib/encryption.ts) and cached sealed; oidc-provider compares the secret a
  // client sends with this plain value itself (constant time), so it is opened here, per request,
  // and only when the secret is on (a public client's secret is never compared: isConfidential).
  const secret = sealed.app.client_secret_enabled ? open(keyringOf(db), sealed.app.client_secret) : '';
  return { ...sealed, app: { ...sealed.app, client_secret: secret } };
}

/**
 * Registry reads made while serving one HTTP request, by client id. A token request that sends
 * `client_secret` has its app read by the Kakao layer's rewrite (kakao-layer.ts) and then by
 * oidc-provider's `Client` lookup; the second takes the first's answer. Keyed
 * by the Fastify request, so an answer never outlives the request that read it.
 */
const readsByRequest = new WeakMap<object, Map<string, AppForClient | undefined>>();

/** `findAppForClient`, read at most once per client id within one request. */
export async function findAppForRequest(
  db: Db,
  clientId: string,
  request: object,
): Promise<AppForClient | undefined> {
  let reads = readsByRequest.get(request);
  if (!reads) {
    reads = new Map();
    readsByRequest.set(request, reads);
  }
  if (reads.has(clientId)) return reads.get(clientId);
  const found = await findAppForClient(db, clientId);
  reads.set(clientId, found);
  return found;
}

/**
 * `findClient` for createProvider: the registry, checked on every request (against the revocation
 * epoch when cached) so console edits apply at once on every instance.
 */
export function createFindClient(db: Db) {
  return async (clientId: string): Promise<AdapterPayload | undefined> => {
    // oidc-provider's request context (AsyncLocalStorage) leads back to the Fastify request
    const ctx = Provider.ctx;
    const request = ctx && fastifyRequestOf(ctx.req);
    const found = request
      ? await findAppForRequest(db, clientId, request)
      : await findAppForClient(db, clientId);
    return found && appToClient(found);
  };
}
