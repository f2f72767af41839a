/**
 * Browser sessions. The cookie is HttpOnly and SameSite=Lax always, and Secure with
 * the `__Host-` prefix when yeon is served over https (RFC 6265bis §4.1.3.2: host-only, path /).
 * `reply.startSession()` mints a new session id at every login; `reply.endSession()` deletes it
 * on the server. A "trusted device" cookie holds this browser's own random token (stored only as
 * its SHA-256, sessions.service.ts `signIn`); it lets the browser skip the account-wide login
 * block (login-throttle.ts) for as long as its row exists. Cookies from before per-device tokens
 * held an HMAC of the email, the same on every device: they match no row, so they simply stop
 * counting and are replaced at the next sign-in.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Account, Session } from '../../db/database.ts';
import { DEVICE_IDLE_MS } from '../../modules/security/trusted-devices.repo.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account?: Account;
    session?: Session;
    sessionToken?: string;
    /** true when this browser's trusted-device cookie is a live device of the account with this email. */
    isTrustedDevice(accountEmail: string): Promise<boolean>;
    /** this browser's trusted-device token, if it carries one (the Security page marks it) */
    deviceToken(): string | undefined;
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

/** The cookie lives as long as an unused device counts (renewed at each sign-in). */
const DEVICE_MAX_AGE_S = DEVICE_IDLE_MS / 1000;

const plugin: FastifyPluginAsync = async (app) => {
  const names = cookieNames(app.config.secureCookies);
  const baseCookie = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: app.config.secureCookies,
  };

  app.decorateRequest('account', undefined);
  app.decorateRequest('session', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('deviceToken', function deviceToken(this: FastifyRequest) {
    return this.cookies[names.device] || undefined;
  });
  app.decorateRequest('isTrustedDevice', function isTrustedDevice(this: FastifyRequest, email: string) {
    return app.services.sessions.isTrustedDevice(this.cookies[names.device], email);
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
      const { token, expiresAt, deviceToken } = await app.services.sessions.signIn({
        accountId: account.id,
        remember,
        userAgent: request.headers['user-agent'],
        ip: request.ip,
        deviceToken: request.cookies[names.device] || undefined,
        replacingToken: request.sessionToken,
      });
      request.sessionToken = token;
      request.account = account;
      this.setCookie(names.session, token, {
        ...baseCookie,
        // Without "keep me signed in" the cookie dies with the browser; the server still enforces the TTL.
        ...(remember ? { expires: new Date(expiresAt) } : {}),
      });
      this.setCookie(names.device, deviceToken, {
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
