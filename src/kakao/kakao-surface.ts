/**
 * The one place that says which requests are Kakao API calls and how their errors look.
 *
 * kapi.kakao.com serves its REST API under `/v1/` and `/v2/` and answers every failure there,
 * an unknown path included, with `{"msg": …, "code": <negative int>}` (Kakao REST API "Reference",
 * error response fields; "Error code"). yeon serves the same paths on its own origin, so:
 * - the Kakao scopes (kakao.plugin.ts) install `sendKakaoError` as their error handler;
 * - the application's not-found handler asks `isKakaoApiUrl` and, for these paths, answers
 *   `unsupportedApi` (-9) through the same function instead of yeon's own 404.
 * Other paths (pages, /api/, /oauth/) keep yeon's error shapes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { kakaoEnvelope, toKakaoError } from './kakao-errors.ts';

/** Path prefixes of Kakao's API host that yeon answers for. */
export const KAKAO_API_PREFIXES = ['/v1', '/v2'] as const;

/** `/v1/…`, `/v2/…` (also bare `/v1`, `/v2` with or without a query). */
export function isKakaoApiUrl(url: string): boolean {
  return KAKAO_API_PREFIXES.some((prefix) => {
    if (!url.startsWith(prefix)) return false;
    const next = url.charAt(prefix.length);
    return next === '' || next === '/' || next === '?';
  });
}

/**
 * Any error as Kakao's envelope with Kakao's HTTP status. Answers are never cached (they carry
 * personal data and token state). A quota refusal says when to retry (RFC 6585 §4).
 */
export function sendKakaoError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = toKakaoError(err);
  if (error.code === -1) request.log.error({ err }, 'kakao api failed');
  else request.log.info({ code: error.code }, 'kakao api refused');
  reply.header('cache-control', 'no-store');
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.code(error.status).send(kakaoEnvelope(error));
}
