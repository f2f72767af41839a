/**
 * CORS as the Kakao JavaScript SDK needs it, and no more (Fetch Standard §3.2 "CORS protocol").
 * The SDK calls, from the pages of an app's registered Web domains, the token endpoint and the user
 * APIs with `Authorization: Bearer` and its `KA` header. So:
 *
 * - A preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`) is allowed when the
 *   origin is a registered Web domain of any app with Kakao Login on: a preflight carries neither
 *   the token nor the body (Fetch Standard §3.2.2), so it cannot say which app it is for.
 * - The actual response is allowed only for the app of the caller: the `client_id` on
 *   /oauth/token, the access token's client on the user APIs and /v1/oidc/userinfo.
 * - Never for `Authorization: KakaoAK …` (admin keys are server-only) nor on admin-only routes.
 * - Any other origin gets no Access-Control-* header at all. Nothing is refused for its `Origin`:
 *   CORS decides whether a page may read the answer, the credentials decide the answer.
 *
 * Which origins belong to an app is decided by modules/apps/web-origins.ts; this module only
 * applies it, for the Kakao API scope (`kakaoCorsRoutes`, a Fastify onRoute hook) and for the OAuth
 * engine (`installOidcCors`, an oidc-provider middleware), so no route adds headers of its own.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { findAppByClientId, isLoginWebOrigin } from '../modules/apps/web-origin-registry.ts';
import { isWebOriginOf, normaliseOrigin } from '../modules/apps/web-origins.ts';
import { OIDC_ROUTES } from '../oidc/provider.ts';

/** How long a browser may reuse an allowed preflight (Fetch Standard §3.2.3 `Access-Control-Max-Age`). */
export const CORS_MAX_AGE_S = 3600;

type CorsHeaders = Record<string, string>;

/** The methods and request headers of the SDK's calls (`KA` is its SDK/OS/language header). */
function preflightHeaders(origin: string): CorsHeaders {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers': 'Authorization, Content-Type, KA',
    'access-control-max-age': String(CORS_MAX_AGE_S),
  };
}

function responseHeaders(origin: string): CorsHeaders {
  return { 'access-control-allow-origin': origin };
}

/** An answer that depends on `Origin` says so to caches (Fetch Standard §3.2.5 "CORS protocol and HTTP caches"). */
function varyOrigin(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  if (!current) reply.header('vary', 'Origin');
  else if (!/(^|,)\s*origin\s*(,|$)/i.test(String(current)))
    reply.header('vary', `${String(current)}, Origin`);
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The headers of a preflight answer, or undefined when the origin may not call. */
export async function preflightCors(
  db: Db,
  origin: string | undefined,
  requestMethod: string | undefined,
): Promise<CorsHeaders | undefined> {
  const wanted = origin && normaliseOrigin(origin);
  if (!wanted || !requestMethod) return undefined;
  return (await isLoginWebOrigin(db, wanted)) ? preflightHeaders(wanted) : undefined;
}

/** The headers of an actual response for the app of `clientId`, or undefined. */
export async function clientCors(
  db: Db,
  clientId: string | undefined,
  origin: string | undefined,
): Promise<CorsHeaders | undefined> {
  const wanted = origin && normaliseOrigin(origin);
  if (!wanted || !clientId) return undefined;
  const app = await findAppByClientId(db, clientId);
  return app && isWebOriginOf(app, wanted) ? responseHeaders(wanted) : undefined;
}

// ---- the Kakao API scope -------------------------------------------------------------------------

/** Admin-key routes under the user API paths: server-only, never CORS. */
const ADMIN_ONLY = new Set(['/v1/user/ids', '/v2/app/users']);

/** The user APIs the SDK calls with a user's token: every `/v1/user/*` and `/v2/user/*` route. */
export function isBrowserUserApi(url: string): boolean {
  return /^\/v[12]\/user\//.test(url) && !ADMIN_ONLY.has(url);
}

/** Only `Authorization: Bearer`: a `KakaoAK` key or `?access_token=` never gets CORS. */
const BEARER = /^Bearer\s+(\S+)\s*$/i;

async function bearerClientId(request: FastifyRequest): Promise<string | undefined> {
  const token = BEARER.exec(header(request.headers.authorization) ?? '')?.[1];
  const provider: Provider | undefined = request.server.hasDecorator('oidc')
    ? request.server.oidc
    : undefined;
  if (!token || !provider) return undefined;
  return (await provider.AccessToken.find(token))?.clientId;
}

/** Before the handler: /v1/user/logout destroys the token it is called with. */
const corsForBearer: onRequestHookHandler = async (request, reply) => {
  const origin = header(request.headers.origin);
  if (!origin) return;
  const headers = await clientCors(request.server.db, await bearerClientId(request), origin);
  if (headers) varyOrigin(reply.headers(headers));
};

async function answerPreflight(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const headers = await preflightCors(
    request.server.db,
    header(request.headers.origin),
    header(request.headers['access-control-request-method']),
  );
  varyOrigin(reply);
  if (headers) reply.headers(headers);
  await reply.code(204).send();
}

/**
 * onRoute hook of the Kakao API scope (kakao.plugin.ts): every GET/POST user API route gets the
 * actual-response check, and its path an OPTIONS route that answers preflights.
 */
export function kakaoCorsRoutes(this: FastifyInstance, route: RouteOptions): void {
  const methods = [route.method].flat();
  if (!isBrowserUserApi(route.url) || !methods.some((m) => m === 'GET' || m === 'POST')) return;
  route.onRequest = [...[route.onRequest ?? []].flat(), corsForBearer];
  if (!this.hasRoute({ method: 'OPTIONS', url: route.url })) {
    this.route({ method: 'OPTIONS', url: route.url, handler: answerPreflight });
  }
}

// ---- the OAuth engine ----------------------------------------------------------------------------

/**
 * The engine's routes oidc-provider serves with CORS (lib/helpers/initialize_app.js), and whether
 * the SDK calls them from a browser. Its discovery and JWKS stay open to every origin: public
 * documents that browser OIDC libraries read.
 */
const OIDC_CORS_ROUTES = new Map<string, boolean>([
  [OIDC_ROUTES.token, true],
  [OIDC_ROUTES.userinfo, true],
  [OIDC_ROUTES.revocation, false],
  [OIDC_ROUTES.introspection, false],
]);

/**
 * oidc-provider's `clientBasedCORS` (provider.ts `allowCorsOrigin`) is asked once the client is
 * known, and answers `invalid_request` when it says no. yeon does not refuse a request for its
 * Origin (see the top of this file); the headers are `installOidcCors`'s. So: always yes.
 */
export function oidcServesEveryOrigin(): boolean {
  return true;
}

function clientIdOf(ctx: KoaContextWithOIDC): string | undefined {
  const identified = ctx.oidc?.client?.clientId;
  if (identified) return identified;
  // a token request refused before its client was identified (unknown key, Kakao Login off)
  const sent = ctx.path === OIDC_ROUTES.token ? ctx.oidc?.body?.client_id : undefined;
  return typeof sent === 'string' ? sent : undefined;
}

/**
 * Replaces oidc-provider's CORS on its CORS routes: it answers every preflight with the request's
 * own origin, and its actual responses carry that origin until a client is refused
 * (lib/shared/cors.js). Here, preflights are answered before it runs, and after it has answered,
 * its Access-Control-* headers are dropped and ours set. Koa writes the response only after every
 * middleware has returned, so nothing of oidc-provider's leaves the server.
 */
export function installOidcCors(provider: Provider, db: Db): void {
  provider.use(async (koaCtx, next) => {
    const browser = OIDC_CORS_ROUTES.get(koaCtx.path);
    if (browser === undefined) return next();
    const origin = koaCtx.get('origin') || undefined;
    if (koaCtx.method === 'OPTIONS') {
      const requestMethod = koaCtx.get('access-control-request-method') || undefined;
      const headers = browser ? await preflightCors(db, origin, requestMethod) : undefined;
      koaCtx.vary('Origin');
      if (headers) koaCtx.set(headers);
      koaCtx.status = 204;
      return;
    }
    await next();
    for (const name of Object.keys(koaCtx.response.headers)) {
      if (name.toLowerCase().startsWith('access-control-')) koaCtx.remove(name);
    }
    if (!browser || !origin) return;
    koaCtx.vary('Origin');
    const headers = await clientCors(db, clientIdOf(koaCtx as KoaContextWithOIDC), origin);
    if (headers) koaCtx.set(headers);
  });
}
