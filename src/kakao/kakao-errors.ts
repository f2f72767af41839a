/**
 * Kakao's API error envelope `{"msg": …, "code": <negative int>}` with Kakao's HTTP statuses
 * (Kakao REST API "Error code"). yeon's own AppErrors are translated here, in one table, so the
 * compatibility layer never invents codes.
 */
import { isDatabaseUnavailable } from '../db/create-db.ts';
import { type AppError, isAppError } from '../errors/catalogue.ts';

export class KakaoApiError extends Error {
  override name = 'KakaoApiError';
  constructor(
    readonly code: number,
    readonly status: number,
    msg: string,
    readonly extra: Record<string, unknown> = {},
    /** seconds until the caller may try again: the `Retry-After` header of a 429 (RFC 6585 §4) */
    readonly retryAfterSeconds?: number,
  ) {
    super(msg);
  }
}

export const kakaoErrors = {
  internal: () => new KakaoApiError(-1, 400, 'internal error. try again later.'),
  badParameter: (msg = 'invalid request. check out the parameters.') => new KakaoApiError(-2, 400, msg),
  notAllowed: (msg: string) => new KakaoApiError(-3, 403, msg),
  noPermission: (msg = 'no permission for this request.') => new KakaoApiError(-5, 403, msg),
  /** Kakao's -9 ("API not supported or discontinued") for a path Kakao's API host does not serve. */
  unsupportedApi: () => new KakaoApiError(-9, 404, 'API not supported or discontinued.'),
  quota: (retryAfterSeconds?: number) =>
    new KakaoApiError(-10, 429, 'API limit has been exceeded.', {}, retryAfterSeconds),
  /** Kakao's -9798 ("under maintenance"; Kakao SDK ApiErrorCause.UnderMaintenance): busy or database down. */
  temporary: () =>
    new KakaoApiError(-9798, 503, 'service is temporarily unavailable. try again later.', {}, 5),
  notLinked: () => new KakaoApiError(-101, 400, 'the user is not linked to this app.'),
  unknownProperty: (key: string) => new KakaoApiError(-201, 400, `invalid property key. [${key}]`),
  invalidToken: (msg = 'this access token does not exist') => new KakaoApiError(-401, 401, msg),
  invalidAppKey: () => new KakaoApiError(-401, 401, 'wrong appKey(admin key) type or invalid appKey.'),
  insufficientScope: (required: string[], apiType = 'USER_ME') =>
    new KakaoApiError(-402, 403, 'insufficient scopes.', { api_type: apiType, required_scopes: required }),
};

const FROM_APP_ERROR: Partial<Record<AppError['code'], () => KakaoApiError>> = {
  validation_failed: () => kakaoErrors.badParameter(),
  bad_request: () => kakaoErrors.badParameter(),
  unauthenticated: () => kakaoErrors.invalidToken(),
  forbidden: () => kakaoErrors.noPermission(),
  not_found: () => kakaoErrors.notLinked(),
  rate_limited: () => kakaoErrors.quota(),
  server_busy: () => kakaoErrors.temporary(),
  database_unavailable: () => kakaoErrors.temporary(),
  consent_item_required: () => kakaoErrors.notAllowed('the scope is not revocable.'),
};

export function toKakaoError(err: unknown): KakaoApiError {
  if (err instanceof KakaoApiError) return err;
  if (isAppError(err)) return FROM_APP_ERROR[err.code]?.() ?? kakaoErrors.internal();
  if (isDatabaseUnavailable(err)) return kakaoErrors.temporary();
  const e = err as { validation?: unknown; statusCode?: number };
  if (e?.validation || e?.statusCode === 400 || e?.statusCode === 413 || e?.statusCode === 415)
    return kakaoErrors.badParameter();
  return kakaoErrors.internal();
}

export function kakaoEnvelope(err: KakaoApiError): Record<string, unknown> {
  return { msg: err.message, code: err.code, ...err.extra };
}
