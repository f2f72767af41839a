/**
 * The two kauth routes oidc-provider has no equivalent for (Kakao REST API "Logout with Kakao
 * Account" and OpenID Connect `/oauth/tokeninfo`; docs/decisions/0002 "Logout", "How the Kakao
 * layer wraps it"):
 *
 * - `GET /oauth/logout?client_id&logout_redirect_uri&state` ends yeon's browser session AND
 *   oidc-provider's session, then `302 logout_redirect_uri?state=…`. The URI must be one of the app's
 *   logout redirect URIs, else yeon's error page (KOE007), never a redirect. Tokens survive (§5.3).
 *   Standard RP-initiated logout stays at /oidc/logout (OIDC_ROUTES.end_session).
 * - `POST /oauth/tokeninfo` (`id_token=…`) → the verified payload, or
 *   `400 {"error":"invalid_token","error_description","error_code":"KOE400"}`.
 */
import { createPublicKey, verify } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { findAppForClient } from '../../oidc/clients.ts';
import { loadJwks } from '../../oidc/signing-keys.ts';
import { viewContext } from '../../views/view-context.ts';
import { OauthErrorPage, type OauthPageCode } from './oauth-error-page.tsx';

const OP_SESSION_COOKIES = ['yeon_op_session', 'yeon_op_session.sig'];

function errorPage(request: FastifyRequest, reply: FastifyReply, code: OauthPageCode) {
  return reply.page(OauthErrorPage({ ctx: viewContext(request), code }), 400);
}

class InvalidIdToken extends Error {}

/** Verifies an RS256 ID token against yeon's published keys; returns its payload. */
async function verifyIdToken(
  request: FastifyRequest,
  token: string,
  nowS: number,
): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidIdToken('malformed id_token');
  let header: { alg?: string; kid?: string };
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidIdToken('malformed id_token');
  }
  if (header.alg !== 'RS256') throw new InvalidIdToken('unsupported alg');
  const { keys } = await loadJwks(request.server.db);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new InvalidIdToken('unknown kid');
  const { kty, n, e } = jwk;
  const key = createPublicKey({ key: { kty, n, e }, format: 'jwk' });
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('RSA-SHA256', signed, key, Buffer.from(parts[2]!, 'base64url'))) {
    throw new InvalidIdToken('signature verification failed');
  }
  if (payload.iss !== request.server.config.issuer.replace(/\/$/, ''))
    throw new InvalidIdToken('wrong issuer');
  if (typeof payload.exp !== 'number' || payload.exp <= nowS) throw new InvalidIdToken('id_token expired');
  return payload;
}

export const kakaoOauthRoutes: FastifyPluginAsync<{ provider: Provider }> = async (app, { provider }) => {
  await app.register(formbody);

  app.get<{ Querystring: Record<string, string | undefined> }>('/oauth/logout', async (request, reply) => {
    const { client_id: clientId, logout_redirect_uri: target, state } = request.query;
    const found = typeof clientId === 'string' ? await findAppForClient(app.db, clientId) : undefined;
    if (!found) return errorPage(request, reply, 'KOE101');
    if (!found.app.kakao_login_enabled) return errorPage(request, reply, 'KOE004');
    // Exact match against the registered list: anything else is an open redirect (§5.3, KOE007).
    if (typeof target !== 'string' || !found.logoutRedirectUris.includes(target)) {
      return errorPage(request, reply, 'KOE007');
    }
    await reply.endSession();
    // oidc-provider's own session (docs/decisions/0002 constraint 4): read through its signed cookie.
    const session = await provider.Session.get(provider.createContext(request.raw, reply.raw));
    if (session.accountId) await session.destroy();
    for (const name of OP_SESSION_COOKIES) reply.clearCookie(name, { path: '/' });
    const url = new URL(target);
    if (typeof state === 'string') url.searchParams.set('state', state);
    return reply.header('cache-control', 'no-store').redirect(url.toString(), 302);
  });

  app.post<{ Body: Record<string, string | undefined> | undefined }>(
    '/oauth/tokeninfo',
    async (request, reply) => {
      const token = request.body?.id_token;
      try {
        if (typeof token !== 'string' || token === '') throw new InvalidIdToken('id_token is required');
        const payload = await verifyIdToken(request, token, Math.floor(Date.now() / 1000));
        return reply.header('cache-control', 'no-store').send(payload);
      } catch (err) {
        if (!(err instanceof InvalidIdToken)) throw err;
        return reply
          .code(400)
          .header('cache-control', 'no-store')
          .send({ error: 'invalid_token', error_description: err.message, error_code: 'KOE400' });
      }
    },
  );
};
