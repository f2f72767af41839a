/**
 * One error handler for the whole app. Browsers on pages get a rendered page in their
 * language; API clients get JSON `{error: {code, message, issues}}`. A 5xx never shows internals:
 * the cause is logged with the request id, and the body carries only the id as a reference.
 * Routes under a compatibility layer (Kakao, OAuth) install their own envelopes in their scope;
 * an unknown path of Kakao's API answers as Kakao does (kakao-surface.ts decides which paths).
 */
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../../db/create-db.ts';
import { AppError, type FieldIssue, isAppError } from '../../errors/catalogue.ts';
import { translator } from '../../i18n/index.ts';
import { kakaoErrors } from '../../kakao/kakao-errors.ts';
import { isKakaoApiUrl, sendKakaoError } from '../../kakao/kakao-surface.ts';
import { ErrorPage } from '../../views/pages/error-page.tsx';
import { viewContext } from '../../views/view-context.ts';

/** Seconds a 503 (database unavailable, server busy) asks the client to wait before retrying. */
export const RETRY_AFTER_SECONDS = 5;

/** The OAuth engine's own paths (oidc/provider.ts OIDC_ROUTES), whose errors are RFC 6749's. */
function isOauthUrl(url: string): boolean {
  return url.startsWith('/oauth/') || url.startsWith('/.well-known/');
}

export function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !request.url.startsWith('/api/');
}

/**
 * A route schema's validation errors (Ajv) as field issues: `field` is the property path
 * (`email`, `items.0.name`) or the part of the request (`querystring`) when the whole part is wrong.
 */
function schemaIssues(e: FastifyError): FieldIssue[] {
  return (e.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = [...v.instancePath.split('/').filter(Boolean), ...(missing ? [missing] : [])];
    return {
      field: path.join('.') || e.validationContext || 'body',
      message: v.keyword === 'required' ? 'validation.required' : 'validation.invalid',
    };
  });
}

export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as FastifyError;
  if (e?.validation)
    return new AppError('validation_failed', { cause: err, detail: e.message, issues: schemaIssues(e) });
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e?.statusCode === 413)
    return new AppError('payload_too_large', { cause: err });
  if (
    e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
    e?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    e?.statusCode === 400 ||
    e?.statusCode === 415
  ) {
    return new AppError('bad_request', { cause: err, detail: e.message });
  }
  if (e?.statusCode === 429) return new AppError('rate_limited', { cause: err });
  if (isDatabaseUnavailable(err)) return new AppError('database_unavailable', { cause: err });
  return new AppError('internal', { cause: err });
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const t = request.t ?? translator(request.server.config.defaultLocale);
  const message = t(error.messageKey, error.params);
  // A 503 always says when to come back (RFC 9110 §15.6.4, §10.2.3): load balancers and clients
  // retry then instead of at once.
  const retryAfter = error.retryAfterSeconds ?? (error.status === 503 ? RETRY_AFTER_SECONDS : undefined);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  if (error.status === 503 && isOauthUrl(request.url) && !wantsHtml(request)) {
    // OAuth clients read RFC 6749 §5.2 bodies; `temporarily_unavailable` is §4.1.2.1's name for this.
    return reply
      .code(503)
      .header('cache-control', 'no-store')
      .send({ error: 'temporarily_unavailable', error_description: message });
  }
  if (wantsHtml(request)) {
    return reply.page(
      ErrorPage({ ctx: viewContext(request), message, requestId: error.expose ? undefined : request.id }),
      error.status,
    );
  }
  return reply.code(error.status).send({
    error: {
      code: error.code,
      message,
      ...(error.issues.length
        ? { issues: error.issues.map((i) => ({ field: i.field, message: t(i.message, i.params) })) }
        : {}),
      ...(error.expose ? {} : { request_id: request.id }),
    },
  });
}

const plugin: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((err, request, reply) => {
    const error = toAppError(err);
    // A 503 (database away, load shed) comes in bursts and says nothing about the request: warn.
    if (error.status === 503)
      request.log.warn({ err: error.cause ?? err, code: error.code }, 'request refused');
    else if (error.status >= 500)
      request.log.error({ err: error.cause ?? err, code: error.code }, 'request failed');
    else request.log.info({ code: error.code }, 'request refused');
    return sendError(request, reply, error);
  });
  // One not-found handler for the whole app: Fastify keeps one per route prefix, and the Kakao
  // scopes share their paths with the OAuth engine (/v1/oidc/userinfo), so the prefix is decided here.
  app.setNotFoundHandler((request, reply) =>
    isKakaoApiUrl(request.url)
      ? sendKakaoError(kakaoErrors.unsupportedApi(), request, reply)
      : sendError(request, reply, new AppError('not_found')),
  );
};

export default fp(plugin, { name: 'error-handler', dependencies: ['request-context', 'csrf'] });
