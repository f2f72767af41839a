/**
 * CSRF protection for every state-changing form (OWASP "signed double-submit cookie").
 * A random seed lives in an HttpOnly cookie; the form token is HMAC(secret, seed). A POST is
 * accepted only when its `_csrf` field matches the cookie's HMAC. The seed is replaced at login
 * and logout, so a token seen before authentication is useless after it. SameSite=Lax is a
 * second layer, not the only one.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors/catalogue.ts';
import { hmac, randomToken, safeEqual } from '../../lib/crypto.ts';
import { cookieNames } from './session.plugin.ts';

// Per-request state in request slots, not WeakMaps keyed by request: a WeakMap entry per request
// made every young-generation GC walk thousands of ephemerons (seen in a CPU profile of the bench).
const SEED: unique symbol = Symbol('csrf seed');
const REPLY: unique symbol = Symbol('csrf reply');

declare module 'fastify' {
  interface FastifyRequest {
    /** The token to embed in forms as `_csrf`. */
    csrfToken(): string;
    [SEED]?: string;
    [REPLY]?: FastifyReply;
  }
  interface FastifyReply {
    rotateCsrf(): void;
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

/** preHandler for form routes. */
export async function verifyCsrf(request: FastifyRequest): Promise<void> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const sent = typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '';
  const cookie = request.cookies[cookieNames(request.server.config.secureCookies).csrf];
  const expected = cookie ? hmac(request.server.secrets.cookieSecret, `csrf:${cookie}`) : '';
  if (!sent || !expected || !safeEqual(sent, expected)) throw new AppError('csrf_invalid');
}

export default fp(plugin, { name: 'csrf', dependencies: ['@fastify/cookie'] });
