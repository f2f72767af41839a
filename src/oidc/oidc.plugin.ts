/**
 * Mounts oidc-provider's `callback()` on Kakao's paths, at the root of yeon's origin (issue #4 §1).
 * Decision record: docs/decisions/0002-oidc-provider-mount.md.
 *
 * Rules:
 * - Each oidc-provider route is a Fastify route listed here (the hapi and nest recipes of
 *   oidc-provider's docs/README.md "Mounting oidc-provider": a route that hands the raw request to
 *   `callback`), not a root-wide middie middleware: middie middlewares run only for routes of their
 *   scope, so root paths would need a hook on every request of the app.
 * - This plugin is encapsulated and replaces every content-type parser in its scope with one that
 *   does not read the body: oidc-provider must parse its own bodies (lib/shared/selective_body.js
 *   warns "already parsed request body detected").
 * - The reply is hijacked: oidc-provider writes the raw response, Fastify's onSend hooks do not
 *   run. The headers those hooks would add that still matter are set here.
 * - oidc-provider sees the issuer's origin and Fastify's view of the client address: the
 *   X-Forwarded-* headers are rewritten (Fastify applied `trustProxy` already) and the provider
 *   trusts them (`provider.proxy = true` in provider.ts). A forged Host cannot change endpoint URLs.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type Provider from 'oidc-provider';
import { OIDC_ROUTES } from './provider.ts';

export interface OidcPluginOptions {
  provider: Provider;
  /** issuer origin, e.g. https://id.example.com (provider.issuer) */
  issuer: string;
}

type Route = { method: HTTPMethods[]; url: string };

/** Every route oidc-provider serves with our configuration (lib/helpers/initialize_app.js). */
export function oidcRoutes(routes = OIDC_ROUTES): Route[] {
  const withCors = (method: HTTPMethods[]): HTTPMethods[] => [...method, 'OPTIONS'];
  return [
    { method: ['GET'], url: routes.authorization },
    { method: ['GET'], url: `${routes.authorization}/:uid` }, // resume after an interaction
    { method: withCors(['POST']), url: routes.token },
    { method: withCors(['GET']), url: routes.jwks },
    { method: withCors(['GET']), url: '/.well-known/openid-configuration' },
    { method: withCors(['GET']), url: '/.well-known/oauth-authorization-server' },
    { method: withCors(['GET', 'POST']), url: routes.userinfo },
    { method: withCors(['POST']), url: routes.revocation },
    { method: withCors(['POST']), url: routes.introspection },
    { method: ['GET'], url: routes.end_session },
    { method: ['POST'], url: `${routes.end_session}/confirm` },
    { method: ['GET'], url: `${routes.end_session}/success` },
  ];
}

const oidcPlugin: FastifyPluginAsync<OidcPluginOptions> = async (app, { provider, issuer }) => {
  const callback = provider.callback();
  const origin = new URL(issuer);
  const https = origin.protocol === 'https:';
  // oidc-provider answers 500 itself; the cause goes to our log with the request id.
  provider.on('server_error', (ctx: { get(h: string): string }, err: Error) => {
    app.log.error({ err, reqId: ctx.get('x-request-id') || undefined }, 'oidc-provider server_error');
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', function leaveBodyToProvider(_request, _payload, done) {
    done(null, undefined);
  });

  async function delegate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = request.raw;
    raw.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
    raw.headers['x-forwarded-host'] = origin.host;
    raw.headers['x-forwarded-for'] = request.ip;
    raw.headers['x-request-id'] = request.id;
    reply.hijack();
    const res = reply.raw;
    res.setHeader('x-request-id', request.id);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
    res.setHeader('x-frame-options', 'DENY');
    if (https) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
    await callback(raw, res);
  }

  for (const route of oidcRoutes()) {
    app.route({ ...route, exposeHeadRoute: false, handler: delegate });
  }
};

export default oidcPlugin;
