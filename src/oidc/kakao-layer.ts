/**
 * The Kakao compatibility layer around oidc-provider (Kakao REST API
 * "Kakao Login" and its KOE error codes; docs/decisions/0002 "How the Kakao layer wraps it").
 *
 * Request side (`kakaoRewrite`, run by the mount before oidc-provider sees the request):
 * - comma-separated `scope`/`prompt` become space-separated (Kakao documents commas, OIDC spaces);
 * - a `client_secret` sent by a public client (an app whose secret is off, or its JavaScript or
 *   native key) is dropped: such clients are `none` clients and oidc-provider would refuse any
 *   secret from them (passport-kakao sends `kakao`);
 * - a code issued to the JavaScript or native key may be redeemed with the REST API key
 *   (sibling-code.ts);
 * - unknown parameters (node-oauth's `type=web_server`) need nothing: oidc-provider ignores them.
 *
 * Response side (`installKakaoLayer`, a post-middleware):
 * - token responses carry exactly Kakao's fields (§5.2);
 * - errors of token/revocation/introspection carry Kakao's `error_code`;
 * - authorize errors that redirect carry it too (an extra query parameter);
 * - discovery is reshaped where Kakao's document is confirmed (§5.4);
 * - /v1/oidc/userinfo errors use the kapi envelope `{msg, code}` (§7.1), as it is a kapi API.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { kakaoEnvelope, kakaoErrors } from '../kakao/kakao-errors.ts';
import { liveAgreedItems } from '../modules/connections/consent-reads.ts';
import { type ClientApp, findAppForRequest, isConfidential } from './clients.ts';
import { liveScope } from './consent-plan.ts';
import { appIdOfClient, oidcEnabledForApp, oidcEnabledForClient, strictOauthFor } from './consent-state.ts';
import { accountAtClientInRequest } from './find-account.ts';
import { kakaoTokenError, type OauthError } from './kakao-layer-errors.ts';
import type { RequestRewrite } from './oidc.plugin.ts';
import { OIDC_ROUTES } from './provider.ts';
import { installRefreshGrace } from './refresh-grace.ts';
import { redeemSiblingCode } from './sibling-code.ts';
import { scopedDb } from './token-transaction.ts';

/** "a,b c" → "a b c" (Kakao documents commas; the Flutter SDK sends spaces). */
export function toSpaceList(value: string): string {
  return value
    .split(/[,\s]+/)
    .filter(Boolean)
    .join(' ');
}

function basicClientId(authorization: string | undefined): string | undefined {
  if (!authorization?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decodeURIComponent(decoded.slice(0, colon)) : undefined;
}

const CLIENT_AUTH_ROUTES = new Set<string>([
  OIDC_ROUTES.token,
  OIDC_ROUTES.revocation,
  OIDC_ROUTES.introspection,
]);

/**
 * `openid` and `nonce` as Kakao treats them (Kakao REST API "Request authorization code", "Get
 * tokens"): an app with OpenID Connect on gets an ID token from the code exchange whether or not
 * `openid` was in `scope`, and its `nonce` is echoed in it either way; an app with OpenID Connect
 * off gets no ID token, and a `nonce` it sends is ignored rather than refused. Strict apps get
 * OpenID Connect's rules: an ID token only for `openid`, and `nonce` only with it (OpenID Connect
 * Core §3.1.2.1; docs/decisions/0005). oidc-provider checks this before any hook of its own runs,
 * so it is done here.
 */
function applyKakaoOpenid(search: URLSearchParams, app: ClientApp): void {
  if (app.strict_oauth) return;
  if (!oidcEnabledForApp(app)) {
    search.delete('nonce');
    return;
  }
  const scope = (search.get('scope') ?? '').split(' ').filter(Boolean);
  if (!scope.includes('openid')) search.set('scope', ['openid', ...scope].join(' '));
}

export async function kakaoRewrite(db: Db, { route, url, form, request }: RequestRewrite): Promise<void> {
  if (route === OIDC_ROUTES.authorization) {
    for (const name of ['scope', 'prompt']) {
      const value = url.searchParams.get(name);
      if (value !== null) url.searchParams.set(name, toSpaceList(value));
    }
    const clientId = url.searchParams.get('client_id');
    const found = clientId ? await findAppForRequest(db, clientId, request) : undefined;
    if (found) applyKakaoOpenid(url.searchParams, found.app);
  }
  if (!form || !CLIENT_AUTH_ROUTES.has(route)) return;
  const scope = form.get('scope');
  if (scope !== null) form.set('scope', toSpaceList(scope));
  // A code from the JavaScript or native key, redeemed with the REST API key (sibling-code.ts).
  const postedClientId = form.get('client_id');
  if (postedClientId && route === OIDC_ROUTES.token) {
    const caller = await findAppForRequest(db, postedClientId, request);
    if (caller) await redeemSiblingCode(db, form, caller);
  }
  if (form.has('client_secret')) {
    let clientId: string | undefined;
    try {
      clientId = form.get('client_id') ?? basicClientId(request.headers.authorization);
    } catch {
      return; // a malformed Basic header: oidc-provider answers invalid_client itself
    }
    const found = clientId ? await findAppForRequest(db, clientId, request) : undefined;
    if (found && !isConfidential(found)) form.delete('client_secret');
  }
}

type Body = Record<string, unknown>;

/**
 * The scope of a token as it stands now (consent-plan.ts `liveScope`): after a withdrawal, the
 * refresh and introspection answers no longer list the withdrawn item.
 */
async function currentScope(
  db: Db,
  ctx: KoaContextWithOIDC,
  scope: string,
  accountId: string | undefined,
): Promise<string> {
  const appId = appIdOfClient(ctx.oidc.client);
  if (appId === undefined || !accountId || !scope) return scope;
  const read = ctx.oidc.client && accountAtClientInRequest(accountId, ctx.oidc.client.clientId, ctx);
  return liveScope(
    scope,
    read ? (read.agreed ?? new Set()) : await liveAgreedItems(scopedDb(db), appId, accountId),
  );
}

/** §5.2: exactly token_type, access_token, id_token?, expires_in, refresh_token?, refresh_token_expires_in?, scope. */
async function shapeTokenResponse(db: Db, ctx: KoaContextWithOIDC): Promise<void> {
  const body = ctx.body as Body;
  const { entities, client } = ctx.oidc;
  const issued = typeof body.scope === 'string' ? body.scope : '';
  // The code exchange's scope is the consent just given; a refresh may follow a withdrawal.
  const scope =
    ctx.oidc.params?.grant_type === 'refresh_token'
      ? await currentScope(db, ctx, issued, entities.RefreshToken?.accountId)
      : issued;
  const withIdToken =
    oidcEnabledForClient(client) && scope.split(' ').includes('openid') && typeof body.id_token === 'string';
  const refresh = entities.RefreshToken;
  // A refresh that did not rotate echoes the old refresh token; Kakao omits it (Kakao REST API
  // "Refresh tokens").
  const newRefresh =
    typeof body.refresh_token === 'string' &&
    refresh !== undefined &&
    (ctx.oidc.params?.grant_type !== 'refresh_token' || entities.RotatedRefreshToken !== undefined);
  ctx.body = {
    token_type: 'bearer',
    access_token: body.access_token,
    ...(withIdToken ? { id_token: body.id_token } : {}),
    expires_in: body.expires_in,
    ...(newRefresh
      ? { refresh_token: body.refresh_token, refresh_token_expires_in: refresh.remainingTTL }
      : {}),
    scope,
  };
}

/** §5.4, where Kakao's document is confirmed; the rest stays as oidc-provider describes itself. */
function shapeDiscovery(ctx: KoaContextWithOIDC): void {
  const body = ctx.body as Body;
  const methods = (body.token_endpoint_auth_methods_supported as string[] | undefined) ?? [];
  // Kakao's discovery has no RFC 9207 flag, and yeon's redirects carry no `iss` by default
  // (shapeAuthorizationRedirect).
  const { authorization_response_iss_parameter_supported: _iss, ...rest } = body;
  ctx.body = {
    ...rest,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      ...methods.filter((m) => m !== 'client_secret_post'),
    ],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    request_uri_parameter_supported: false,
  };
}

const ERROR_EVENTS = ['grant.error', 'revocation.error', 'introspection.error', 'userinfo.error'] as const;

function isActiveIntrospection(body: unknown): body is Body & { active: true; scope?: string } {
  return typeof body === 'object' && body !== null && (body as Body).active === true;
}

function isErrorBody(body: unknown): body is Body & { error: string } {
  return typeof body === 'object' && body !== null && typeof (body as Body).error === 'string';
}

/**
 * The redirect back to the app, as Kakao sends it (Kakao REST API "Request authorization code":
 * `302 {redirect_uri}?code=…&state=…`; RFC 6749 §4.1.2 leaves the status open):
 * - no `iss` parameter, unless the app opted in to strict OAuth (RFC 9207 §2; docs/decisions/0005).
 *   Discovery does not advertise `authorization_response_iss_parameter_supported` either, so RFC
 *   9207 clients (oauth4webapi, openid-client) accept a response without it and still check it
 *   when it is there;
 * - an `error=` redirect gets Kakao's `error_code` as well.
 */
function shapeAuthorizationRedirect(ctx: KoaContextWithOIDC): void {
  const location = ctx.response.get('location');
  if (!location) return;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return;
  }
  const inFragment = url.hash.length > 1;
  const params = inFragment ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
  const isResponse = params.has('code') || params.has('error');
  if (!isResponse) return;
  // oidc-provider's query response mode answers 303; Kakao answers 302 (both are fine for a GET).
  ctx.status = 302;
  if (params.has('iss') && !strictOauthFor(ctx.oidc.client)) {
    params.delete('iss');
    if (inFragment) url.hash = params.toString();
    setLocation(ctx, url);
  }
  const error = params.get('error');
  if (!error || params.has('error_code')) return;
  const responseType = String(ctx.oidc.params?.response_type ?? '');
  const code =
    error === 'unsupported_response_type' || error === 'unauthorized_client'
      ? responseType.split(' ').includes('token')
        ? 'KOE202'
        : 'KOE201'
      : undefined;
  if (!code) return;
  params.set('error_code', code);
  if (inFragment) url.hash = params.toString();
  setLocation(ctx, url);
}

/** A new Location for a redirect already answered, its status and its "Redirecting to" body too. */
function setLocation(ctx: KoaContextWithOIDC, url: URL): void {
  const status = ctx.status;
  ctx.redirect(url.toString());
  ctx.status = status;
}

export function installKakaoLayer(provider: Provider, db: Db): void {
  // outermost: it stores and replays the answer as shaped below
  installRefreshGrace(provider, db);
  const remember = (ctx: KoaContextWithOIDC, err: OauthError) => {
    ctx.state.oauthError = err;
  };
  for (const event of ERROR_EVENTS) (provider.on as (e: string, l: typeof remember) => void)(event, remember);
  provider.use(async (koaCtx, next) => {
    await next();
    const ctx = koaCtx as KoaContextWithOIDC;
    const route = ctx.oidc?.route;
    if (!route) return;
    if (route === 'token' && ctx.status === 200 && !isErrorBody(ctx.body)) return shapeTokenResponse(db, ctx);
    if (route === 'introspection' && ctx.status === 200 && isActiveIntrospection(ctx.body)) {
      const token = ctx.oidc.entities.AccessToken ?? ctx.oidc.entities.RefreshToken;
      ctx.body.scope = await currentScope(db, ctx, ctx.body.scope ?? '', token?.accountId);
      if (!ctx.body.scope) delete ctx.body.scope;
      return;
    }
    if (route === 'discovery' && ctx.status === 200) return shapeDiscovery(ctx);
    if ((route === 'authorization' || route === 'resume') && ctx.status >= 300 && ctx.status < 400) {
      return shapeAuthorizationRedirect(ctx);
    }
    if (!isErrorBody(ctx.body)) return;
    if (route === 'userinfo') {
      // A token without `openid` (an app with OpenID Connect off, or a strict app that did not ask
      // for it): 403 insufficient_scope (RFC 6750 §3.1, whose WWW-Authenticate header oidc-provider
      // has set), in Kakao's envelope: -402 with the scopes required (Kakao REST API "Error code").
      const err =
        ctx.body.error === 'insufficient_scope'
          ? kakaoErrors.insufficientScope(['openid'], 'OIDC_USER_INFO')
          : kakaoErrors.invalidToken(
              ctx.status === 401 ? 'this access token does not exist' : String(ctx.body.error),
            );
      ctx.status = err.code === -402 ? 403 : ctx.status === 401 ? 401 : 400;
      ctx.body = kakaoEnvelope(err);
      return;
    }
    if (route === 'token' || route === 'revocation' || route === 'introspection') {
      const err = (ctx.state.oauthError as OauthError | undefined) ?? (ctx.body as unknown as OauthError);
      const params = ctx.oidc.params ?? {};
      const clientId =
        (params.client_id as string | undefined) ?? basicClientIdSafe(ctx.get('authorization'));
      ctx.body = await kakaoTokenError(db, err, {
        grantType: params.grant_type as string | undefined,
        clientId,
        clientFound: ctx.oidc.client !== undefined,
        code: params.code as string | undefined,
      });
    }
  });
}

function basicClientIdSafe(header: string): string | undefined {
  try {
    return basicClientId(header || undefined);
  } catch {
    return undefined;
  }
}
