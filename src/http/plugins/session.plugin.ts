/**
 * Browser sessions. The cookie is HttpOnly and SameSite=Lax always, and Secure with
 * the `__Host-` prefix when yeon is served over https (RFC 6265bis §4.1.3.2: host-only, path /).
 * `reply.startSession()` mints a new session id at every login; `reply.endSession()` deletes it
 * on the server. A "trusted device" cookie, signed, lets this browser skip the account-wide login
 * throttle (see login-throttle.ts).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Account, Session } from '../../db/database.ts';
import { hmac, safeEqual } from '../../lib/crypto.ts';
import { normalizeEmail } from '../../modules/accounts/profile.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account?: Account;
    session?: Session;
    sessionToken?: string;
    /** true when this browser carries a trusted-device cookie for `accountId`. */
    isTrustedDevice(accountEmail: string): boolean;
  }
  interface FastifyReply {
    startSession(account: Account, remember: boolean): Promise<void>;
    endSession(): Promise<void>;
  }
}

export function cookieNames(secure: boolean) {
  const p = secure ? '__Host-' : '';
  return { session: `${p}yeon_session`, csrf: `${p}yeon_csrf`, device: `${p}yeon_device` };
}

const DEVICE_MAX_AGE_S = 365 * 86_400;

const plugin: FastifyPluginAsync = async (app) => {
  const names = cookieNames(app.config.secureCookies);
  const baseCookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  };
  const deviceValue = (email: string) => hmac(app.secrets.cookieSecret, `device:${email}`);

  app.decorateRequest('account', undefined);
  app.decorateRequest('session', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('isTrustedDevice', function isTrustedDevice(this: FastifyRequest, email: string) {
    const cookie = this.cookies[names.device];
    return !!cookie && safeEqual(cookie, deviceValue(normalizeEmail(email)));
  });

  // Callback style, so a request without a session cookie (every API call) costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const token = request.cookies[names.session];
    if (!token) return done();
    app.services.sessions.resolve(token).then((live) => {
      if (live) {
        request.account = live.account;
        request.session = live.session;
        request.sessionToken = token;
      }
      done();
    }, done);
  });

  app.decorateReply(
    'startSession',
    async function startSession(this: FastifyReply, account: Account, remember: boolean) {
      const request = this.request;
      if (request.sessionToken) await app.services.sessions.end(request.sessionToken);
      const { token, expiresAt } = await app.services.sessions.start({
        accountId: account.id,
        remember,
        userAgent: request.headers['user-agent'],
        ip: request.ip,
      });
      request.sessionToken = token;
      request.account = account;
      this.setCookie(names.session, token, {
        ...baseCookie,
        // Without "keep me signed in" the cookie dies with the browser; the server still enforces the TTL.
        ...(remember ? { expires: new Date(expiresAt) } : {}),
      });
      this.setCookie(names.device, deviceValue(account.email_normalized), {
        ...baseCookie,
        maxAge: DEVICE_MAX_AGE_S,
      });
    },
  );

  app.decorateReply('endSession', async function endSession(this: FastifyReply) {
    const request = this.request;
    if (request.sessionToken) await app.services.sessions.end(request.sessionToken);
    request.account = undefined;
    request.session = undefined;
    request.sessionToken = undefined;
    this.clearCookie(names.session, baseCookie);
  });
};

export default fp(plugin, { name: 'session', dependencies: ['@fastify/cookie'] });
