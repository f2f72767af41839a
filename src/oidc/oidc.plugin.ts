/**
 * Mounts oidc-provider's `callback()` on Kakao's paths, at the root of yeon's origin.
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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type Provider from 'oidc-provider';
import { OIDC_ROUTES } from './provider.ts';

/** What a request rewrite may change before oidc-provider sees the request. */
export interface RequestRewrite {
  /** the route as registered, e.g. '/oauth/token' */
  route: string;
  /** the request URL (issuer origin); edit its searchParams in place */
  url: URL;
  /** the body of a form POST, edited in place; undefined for other requests */
  form: URLSearchParams | undefined;
  request: FastifyRequest;
}

/**
 * A gate run before oidc-provider sees a request (e.g. the authorize cap, authorize-cap.ts). It
 * refuses by throwing an AppError, which the app's error handler renders (the reply is not yet
 * hijacked); it may return a function called once oidc-provider has answered, with the response.
 */
export type AdmitRequest = (
  route: string,
  request: FastifyRequest,
) => Promise<((res: ServerResponse) => Promise<void>) | undefined>;

export interface OidcPluginOptions {
  provider: Provider;
  /** issuer origin, e.g. https://id.example.com (provider.issuer) */
  issuer: string;
  /**
   * The Kakao layer's request hook (docs/decisions/0002): e.g. comma-separated `scope` → spaces,
   * a dummy `client_secret` dropped for a client whose secret is off. When given, form bodies are
   * read here (at oidc-provider's own 56 KiB limit) and handed on as a fresh stream.
   */
  rewrite?: (input: RequestRewrite) => void | Promise<void>;
  admit?: AdmitRequest;
}

/**
 * The Fastify request behind each raw request handed to oidc-provider, so hooks that only get a
 * Koa context (`renderError`) can still render a page in the person's language.
 */
const fastifyRequests = new WeakMap<IncomingMessage, FastifyRequest>();
export function fastifyRequestOf(raw: IncomingMessage): FastifyRequest | undefined {
  return fastifyRequests.get(raw);
}

/** oidc-provider's own body limit (lib/shared/selective_body.js). */
const FORM_LIMIT = 56 * 1024;

/**
 * A form body that remembers whether the rewrite edited it, and the bytes it was parsed from: an
 * untouched body is handed on as it came, not serialized again (the token
 * endpoint's hot path).
 */
class ReadForm extends URLSearchParams {
  edited = false;
  constructor(readonly bytes: Buffer) {
    super(bytes.toString());
  }
  override append(name: string, value: string): void {
    this.edited = true;
    super.append(name, value);
  }
  override delete(name: string, value?: string): void {
    this.edited = true;
    super.delete(name, value);
  }
  override set(name: string, value: string): void {
    this.edited = true;
    super.set(name, value);
  }
  override sort(): void {
    this.edited = true;
    super.sort();
  }
}

/**
 * The raw request with another form body: a stream carrying the fields Koa and oidc-provider
 * read from an IncomingMessage (method, url, headers, socket). The original body is consumed.
 */
function withForm(raw: IncomingMessage, url: string, form: ReadForm): IncomingMessage {
  const body = form.edited ? Buffer.from(form.toString()) : form.bytes;
  const headers = { ...raw.headers, 'content-type': 'application/x-www-form-urlencoded' };
  delete headers['transfer-encoding'];
  headers['content-length'] = String(body.length);
  return Object.assign(Readable.from([body], { objectMode: false }), {
    method: raw.method,
    url,
    headers,
    rawHeaders: raw.rawHeaders,
    httpVersion: raw.httpVersion,
    httpVersionMajor: raw.httpVersionMajor,
    httpVersionMinor: raw.httpVersionMinor,
    socket: raw.socket,
    connection: raw.socket,
    complete: true,
  }) as unknown as IncomingMessage;
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

const oidcPlugin: FastifyPluginAsync<OidcPluginOptions> = async (
  app,
  { provider, issuer, rewrite, admit },
) => {
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
  if (rewrite) {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'buffer', bodyLimit: FORM_LIMIT },
      function readFormForRewrite(_request, body, done) {
        done(null, new ReadForm(body as Buffer));
      },
    );
  }

  async function delegate(request: FastifyRequest, reply: FastifyReply, route: string): Promise<void> {
    const answered = admit ? await admit(route, request) : undefined;
    const raw = request.raw;
    raw.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
    raw.headers['x-forwarded-host'] = origin.host;
    raw.headers['x-forwarded-for'] = request.ip;
    raw.headers['x-request-id'] = request.id;
    let forProvider = raw;
    if (rewrite) {
      const url = new URL(raw.url ?? '/', origin);
      const form = request.body instanceof ReadForm ? request.body : undefined;
      await rewrite({ route, url, form, request });
      raw.url = url.pathname + url.search;
      if (form) forProvider = withForm(raw, raw.url, form);
    }
    fastifyRequests.set(forProvider, request);
    reply.hijack();
    const res = reply.raw;
    res.setHeader('x-request-id', request.id);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
    res.setHeader('x-frame-options', 'DENY');
    if (https) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
    await callback(forProvider, res);
    await answered?.(res);
  }

  for (const route of oidcRoutes()) {
    // the route pattern from the closure: `request.routeOptions` builds a new object per read
    app.route({
      ...route,
      exposeHeadRoute: false,
      handler: (request, reply) => delegate(request, reply, route.url),
    });
  }
};

export default oidcPlugin;
