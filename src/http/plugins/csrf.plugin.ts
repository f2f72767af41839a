/**
 * CSRF protection for every state-changing form (OWASP "signed double-submit cookie").
 * A random seed lives in an HttpOnly cookie; the form token is HMAC(secret, seed). A POST is
 * accepted only when its `_csrf` field matches the cookie's HMAC. The seed is replaced at login
 * and logout, so a token seen before authentication is useless after it. SameSite=Lax is a
 * second layer, not the only one.
 */
import type { Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors/catalogue.ts';
import { hmac, randomToken, safeEqual } from '../../lib/crypto.ts';
import { cookieNames } from './session.plugin.ts';

// Per-request state in request slots, not WeakMaps keyed by request: a WeakMap entry per request
// made every young-generation GC walk thousands of ephemerons (seen in a CPU profile of the bench).
const SEED: unique symbol = Symbol('csrf seed');
const REPLY: unique symbol = Symbol('csrf reply');
const MULTIPART: unique symbol = Symbol('csrf multipart');

export interface CheckedMultipart {
  fields: Record<string, string>;
  parts: AsyncIterableIterator<Multipart>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The token to embed in forms as `_csrf`. */
    csrfToken(): string;
    [SEED]?: string;
    [REPLY]?: FastifyReply;
    [MULTIPART]?: CheckedMultipart;
  }
  interface FastifyReply {
    rotateCsrf(): void;
  }
  interface FastifyContextConfig {
    /** false: not a browser form (see `protectForms`); the route takes no CSRF token */
    csrf?: boolean;
  }
}

export const CSRF_FIELD = '_csrf';

const plugin: FastifyPluginAsync = async (app) => {
  const name = cookieNames(app.config.secureCookies).csrf;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  };
  app.decorateRequest(SEED, undefined);
  app.decorateRequest(REPLY, undefined);
  app.decorateRequest(MULTIPART, undefined);

  function seedOf(request: FastifyRequest): string {
    let seed = request[SEED] ?? request.cookies[name];
    if (!seed) {
      seed = randomToken(24);
      request[REPLY]?.setCookie(name, seed, cookieOptions);
    }
    request[SEED] = seed;
    return seed;
  }

  app.decorateRequest('csrfToken', function csrfToken(this: FastifyRequest) {
    return hmac(app.secrets.cookieSecret, `csrf:${seedOf(this)}`);
  });

  app.decorateReply('rotateCsrf', function rotateCsrf(this: FastifyReply) {
    const seed = randomToken(24);
    this.request[SEED] = seed;
    this.setCookie(name, seed, cookieOptions);
  });

  // The seed cookie is set lazily, by the first page that renders a form: responses without a
  // form (stylesheet, health checks, metrics, JSON) carry no Set-Cookie, so a cache in front of
  // yeon can never hand one visitor's seed to everybody.
  app.addHook('onRequest', (request, reply, done) => {
    request[REPLY] = reply;
    done();
  });
};

/**
 * The router's rule: every route of a browser scope (pages and forms) that a browser can send with
 * an unsafe method is checked, with no per-handler opt-in (OWASP ASVS V4.2.2; OWASP CSRF Prevention
 * Cheat Sheet, "Signed Double-Submit Cookie"). Call once per browser scope, before its routes: the
 * `onRoute` hook then covers that scope and every scope registered inside it. A route that is not a
 * browser form opts out with `config: { csrf: false }`.
 *
 * The check is appended to the route's own preHandlers, so a route's `requireAccount` still
 * answers first (a signed-out POST is 401 before it is 403).
 */
export function protectForms(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.config?.csrf === false || !methods.some((m) => !SAFE_METHODS.has(m))) return;
    const own = route.preHandler
      ? Array.isArray(route.preHandler)
        ? route.preHandler
        : [route.preHandler]
      : [];
    route.preHandler = [...own, verifyCsrf];
  });
}

/** RFC 9110 §9.2.1: these never change state, so they carry no token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function tokenMatches(request: FastifyRequest, sent: string): boolean {
  const cookie = request.cookies[cookieNames(request.server.config.secureCookies).csrf];
  const expected = cookie ? hmac(request.server.secrets.cookieSecret, `csrf:${cookie}`) : '';
  return !!sent && !!expected && safeEqual(sent, expected);
}

/**
 * The check `protectForms` attaches. A urlencoded form carries `_csrf` in its parsed body. A
 * multipart form (the app icon upload) is read here only up to its `_csrf` field, which must come
 * before any file — browsers send fields in document order and our forms put it first — so a
 * forged cross-site upload is refused before a byte of the file is buffered; the rest of the body
 * is left to the handler (`checkedMultipart`).
 */
export async function verifyCsrf(request: FastifyRequest): Promise<void> {
  if (SAFE_METHODS.has(request.method)) return;
  if (typeof request.isMultipart === 'function' && request.isMultipart()) {
    await verifyMultipartCsrf(request);
    return;
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const sent = typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '';
  if (!tokenMatches(request, sent)) throw new AppError('csrf_invalid');
}

async function verifyMultipartCsrf(request: FastifyRequest): Promise<void> {
  const parts = request.parts();
  const fields: Record<string, string> = {};
  for (;;) {
    // `next()` by hand, not `for await`: leaving that loop would close the stream for the handler.
    const { value: part, done } = await parts.next();
    if (done) throw new AppError('csrf_invalid');
    if (part.type === 'file') {
      part.file.resume();
      throw new AppError('csrf_invalid');
    }
    const value = typeof part.value === 'string' ? part.value : '';
    fields[part.fieldname] = value;
    if (part.fieldname !== CSRF_FIELD) continue;
    if (!tokenMatches(request, value)) throw new AppError('csrf_invalid');
    request[MULTIPART] = { fields, parts };
    return;
  }
}

/**
 * A multipart body whose `_csrf` field the router's check has accepted: the fields read so far and
 * the parts still to come. @throws AppError('csrf_invalid') when the check did not run (fail closed).
 */
export function checkedMultipart(request: FastifyRequest): CheckedMultipart {
  const checked = request[MULTIPART];
  if (!checked) throw new AppError('csrf_invalid');
  request[MULTIPART] = undefined;
  return checked;
}

export default fp(plugin, { name: 'csrf', dependencies: ['@fastify/cookie'] });
