/**
 * The closed catalogue of yeon's own errors. Each entry has a stable snake_case code (public API:
 * JSON bodies carry it verbatim), an HTTP status, and the i18n key of its user-facing message.
 * Kakao envelopes ({msg, code}) and RFC 6749 errors are produced from these by the compatibility
 * layers; they never invent codes of their own.
 */
export const ERRORS = {
  validation_failed: { status: 400, message: 'error.validation_failed' },
  bad_request: { status: 400, message: 'error.bad_request' },
  csrf_invalid: { status: 403, message: 'error.csrf_invalid' },
  unauthenticated: { status: 401, message: 'error.unauthenticated' },
  forbidden: { status: 403, message: 'error.forbidden' },
  not_found: { status: 404, message: 'error.not_found' },
  conflict: { status: 409, message: 'error.conflict' },
  payload_too_large: { status: 413, message: 'error.payload_too_large' },
  email_taken: { status: 409, message: 'error.email_taken' },
  recovery_link_invalid: { status: 400, message: 'recovery.link_invalid' },
  invalid_credentials: { status: 401, message: 'error.invalid_credentials' },
  login_throttled: { status: 429, message: 'error.login_throttled' },
  rate_limited: { status: 429, message: 'error.rate_limited' },
  authorize_rate_limited: { status: 429, message: 'error.authorize_rate_limited' },
  test_notification_cooldown: { status: 429, message: 'error.test_notification_cooldown' },
  server_busy: { status: 503, message: 'error.server_busy' },
  database_unavailable: { status: 503, message: 'error.database_unavailable' },
  consent_item_required: { status: 403, message: 'error.consent_item_required' },
  interaction_expired: { status: 400, message: 'error.interaction_expired' },
  unlink_option_unavailable: { status: 409, message: 'error.unlink_option_unavailable' },
  app_last_owner: { status: 409, message: 'error.app_last_owner' },
  account_sole_owner: { status: 409, message: 'error.account_sole_owner' },
  app_last_admin_key: { status: 409, message: 'error.app_last_admin_key' },
  app_admin_key_limit: { status: 409, message: 'error.app_admin_key_limit' },
  app_key_rotation_limit: { status: 409, message: 'error.app_key_rotation_limit' },
  notification_not_failed: { status: 409, message: 'error.notification_not_failed' },
  internal: { status: 500, message: 'error.internal' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** A field-level problem, for forms and for `details` in JSON errors. */
export interface FieldIssue {
  field: string;
  /** i18n key of the message, e.g. 'validation.password_too_short' */
  message: string;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  /** 5xx messages are never shown; everything below is safe to show. */
  readonly expose: boolean;
  readonly messageKey: string;

  constructor(
    readonly code: ErrorCode,
    options: {
      cause?: unknown;
      issues?: FieldIssue[];
      params?: Record<string, string | number>;
      detail?: string;
      /** for a 429: seconds until a retry may succeed, sent as `Retry-After` (RFC 6585 §4) */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(options.detail ?? code, { cause: options.cause });
    this.status = ERRORS[code].status;
    this.expose = this.status < 500;
    this.messageKey = ERRORS[code].message;
    this.issues = options.issues ?? [];
    this.params = options.params ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  readonly retryAfterSeconds: number | undefined;

  readonly issues: FieldIssue[];
  readonly params: Record<string, string | number>;
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export function validationError(issues: FieldIssue[]): AppError {
  return new AppError('validation_failed', { issues });
}
