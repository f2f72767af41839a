/**
 * The apps registry as oidc-provider clients (issue #4 §1; docs/decisions/0002 "Storage").
 *
 * - `client_id` is the app's REST API key (kakao-login-api.md §5.1).
 * - An app with Kakao Login off has no client: /oauth/authorize and /oauth/token refuse it
 *   (the Kakao layer answers KOE004 for it, see kakao-errors.ts).
 * - Secret off = public client: `token_endpoint_auth_method: 'none'`. oidc-provider then requires
 *   PKCE (its default `pkce.required`), which is what issue #4 §2 asks of public clients. The Kakao
 *   layer drops a dummy `client_secret` such clients send (passport-kakao sends `kakao`).
 * - Secret on: `client_secret_post`, Kakao's only method (§5.2). oidc-provider holds a client to
 *   its one registered method.
 * - `redirect_uris` = the app's login redirect URIs, `post_logout_redirect_uris` = its logout ones.
 */
import Provider, { type AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import type { AppRow } from '../modules/apps/apps.types.ts';
import { fastifyRequestOf } from './oidc.plugin.ts';
import { precompiled } from './precompiled.ts';

/** Extra client metadata yeon keeps on each client (oidc-provider `extraClientMetadata`). */
export const YEON_CLIENT_PROPERTIES = ['yeon_app_id', 'yeon_oidc_enabled'] as const;

/** The app columns a client is built from (and the Kakao layer checks). */
export type ClientApp = Pick<
  AppRow,
  'id' | 'name' | 'kakao_login_enabled' | 'oidc_enabled' | 'client_secret' | 'client_secret_enabled'
>;

export interface AppForClient {
  app: ClientApp;
  restApiKey: string;
  redirectUris: string[];
  logoutRedirectUris: string[];
}

/** Client metadata for one app; undefined when Kakao Login is off. */
export function appToClient({
  app,
  restApiKey,
  redirectUris,
  logoutRedirectUris,
}: AppForClient): AdapterPayload | undefined {
  if (!app.kakao_login_enabled) return undefined;
  const secretOn = !!app.client_secret_enabled;
  return {
    client_id: restApiKey,
    ...(secretOn ? { client_secret: app.client_secret } : {}),
    token_endpoint_auth_method: secretOn ? 'client_secret_post' : 'none',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: logoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    client_name: app.name,
    yeon_app_id: app.id,
    yeon_oidc_enabled: !!app.oidc_enabled,
  };
}

/**
 * The app behind a live REST API key with its redirect URIs, in one query: every token request
 * looks its client up here (issue #8 part 1), so the app row and its URI rows come back together
 * (one row per URI, or one row with a null URI) from a precompiled statement.
 */
const appWithRedirectUris = precompiled(['key'], (db, p) =>
  db
    .selectFrom('app_keys as k')
    .innerJoin('apps as a', 'a.id', 'k.app_id')
    .leftJoin('app_redirect_uris as u', 'u.app_id', 'a.id')
    .select([
      'a.id',
      'a.name',
      'a.kakao_login_enabled',
      'a.oidc_enabled',
      'a.client_secret',
      'a.client_secret_enabled',
      'u.kind as uri_kind',
      'u.uri',
    ])
    .where('k.key', '=', p.key)
    .where('k.kind', '=', 'rest_api')
    .where('k.revoked_at', 'is', null)
    .orderBy('u.position'),
);

/** The app behind a REST API key, with its redirect URIs; undefined for an unknown key. */
export async function findAppForClient(db: Db, clientId: string): Promise<AppForClient | undefined> {
  if (!clientId || clientId.length > 200) return undefined;
  const { rows } = await appWithRedirectUris(db, { key: clientId });
  const row = rows[0];
  if (!row) return undefined;
  const app: ClientApp = {
    id: row.id,
    name: row.name,
    kakao_login_enabled: row.kakao_login_enabled,
    oidc_enabled: row.oidc_enabled,
    client_secret: row.client_secret,
    client_secret_enabled: row.client_secret_enabled,
  };
  const uris = (kind: string) => rows.filter((r) => r.uri_kind === kind).map((r) => r.uri as string);
  return { app, restApiKey: clientId, redirectUris: uris('login'), logoutRedirectUris: uris('logout') };
}

/**
 * Registry reads made while serving one HTTP request, by client id. A token request that sends
 * `client_secret` has its app read by the Kakao layer's rewrite (kakao-layer.ts) and then by
 * oidc-provider's `Client` lookup; the second takes the first's answer (issue #8 part 1). Keyed
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

/** `findClient` for createProvider: the registry, read on every request so console edits apply at once. */
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
