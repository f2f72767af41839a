/**
 * The one schema for every setting yeon reads from the environment.
 *
 * Each key is the environment variable's own name, so a validation error can name it verbatim.
 * `description` doubles as the configuration reference in the README.
 * Nothing below `src/config/` reads `process.env`.
 */
import { type Static, Type } from '@sinclair/typebox';

const Bool = Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')]);

export const EnvSchema = Type.Object({
  YEON_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
    description:
      '`development`, `test` or `production`. Production refuses generated secrets and plain-http issuers.',
  }),
  YEON_HOST: Type.String({
    default: 'localhost',
    minLength: 1,
    description: 'Address to listen on (`0.0.0.0` in containers).',
  }),
  YEON_PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535, description: 'TCP port.' }),
  YEON_ISSUER: Type.Optional(
    Type.String({
      pattern: '^https?://[^/?#]+(/[^?#]*)?$',
      description: 'Public base URL (default `http://localhost:<port>`).',
    }),
  ),
  YEON_LOOPBACK_HTTP_ISSUER: Type.Boolean({
    default: false,
    description:
      'Measurement only: lets production mode run on a plain-http loopback issuer (`http://127.0.0.1:<port>`), with apps whose unlink callbacks are plain http on loopback, as `npm run bench` does. Refused for any other host.',
  }),
  YEON_DATA_DIR: Type.String({
    default: './data',
    minLength: 1,
    description: 'Folder for the SQLite file and generated secrets.',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^(postgres(ql)?://|sqlite:)',
      description:
        '`postgres://user@host/db` for PostgreSQL, or `sqlite:PATH`. Default: `sqlite:<data dir>/yeon.db`.',
    }),
  ),
  YEON_DB_POOL_SIZE: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 200,
    description: 'PostgreSQL pool size per instance.',
  }),
  YEON_DB_PREPARED_STATEMENTS: Type.Union([Bool], {
    default: 'true',
    description:
      'PostgreSQL: keep each query as a named prepared statement per connection, so the server plans it once. Set `false` behind a pooler in transaction mode that cannot carry them (PgBouncer before 1.21).',
  }),
  YEON_COOKIE_SECRET: Type.Optional(
    Type.String({
      minLength: 32,
      description: 'Key for CSRF tokens and signed cookies (≥ 32 chars). Generated if absent.',
    }),
  ),
  YEON_ENCRYPTION_KEY: Type.Optional(
    Type.String({
      description:
        'Key that encrypts app secrets and signing keys at rest (AES-256-GCM): 32 random bytes as hex or base64 (`openssl rand -base64 32`). Required in production; generated if absent in development. Change it with `yeon secrets rotate-key`.',
    }),
  ),
  YEON_ENCRYPTION_KEY_PREVIOUS: Type.Optional(
    Type.String({
      description:
        'Earlier encryption keys (comma-separated) that may still decrypt, never encrypt: for instances not yet given the new key during `yeon secrets rotate-key`.',
    }),
  ),
  YEON_NEW_ENCRYPTION_KEY: Type.Optional(
    Type.String({
      description:
        'Read only by `yeon secrets rotate-key`: the key to encrypt every stored secret with instead of YEON_ENCRYPTION_KEY (or give `--new-key-file`).',
    }),
  ),
  YEON_PLATFORM_NAME: Type.String({
    default: 'yeon',
    minLength: 1,
    maxLength: 60,
    description: 'Display name of the platform.',
  }),
  YEON_PLATFORM_LOGO_URL: Type.Optional(
    Type.String({ pattern: '^(https?://|/)', description: 'Logo shown in the header.' }),
  ),
  YEON_DEFAULT_LOCALE: Type.Union([Type.Literal('ko'), Type.Literal('en')], {
    default: 'ko',
    description: 'Language when neither the cookie nor Accept-Language decides.',
  }),
  YEON_LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'Log level of the JSON logs.' },
  ),
  YEON_SESSION_TTL_HOURS: Type.Integer({
    default: 24,
    minimum: 1,
    maximum: 720,
    description: 'Browser session lifetime.',
  }),
  YEON_SESSION_REMEMBER_DAYS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 365,
    description: 'Session lifetime with "Keep me signed in".',
  }),
  YEON_TRUST_PROXY: Type.Union([Bool, Type.String({ pattern: '^[0-9a-fA-F.:/, ]+$' })], {
    default: 'false',
    description: '`true`, or the proxy addresses/CIDRs to trust for X-Forwarded-*.',
  }),
  YEON_PASSWORD_HASH_CONCURRENCY: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 64,
      description:
        'Password hashes computed at once, each on its own worker thread (default: the cores the process may use); further requests wait in a short queue.',
    }),
  ),
  YEON_LOGIN_MAX_FAILURES: Type.Integer({
    default: 5,
    minimum: 1,
    maximum: 1000,
    description: 'Failed logins per account and address in the window before that pair is slowed down.',
  }),
  YEON_SIGNUP_MAX_PER_IP: Type.Integer({
    default: 20,
    minimum: 1,
    maximum: 10_000,
    description: 'Sign-ups from one address in the rate-limit window; further ones get 429.',
  }),
  YEON_LOGIN_WINDOW_MINUTES: Type.Integer({
    default: 15,
    minimum: 1,
    maximum: 1440,
    description: 'Rate-limit window.',
  }),
  YEON_AUTHORIZE_MAX_PER_IP: Type.Integer({
    default: 60,
    minimum: 1,
    maximum: 100_000,
    description:
      'New login pages (`/oauth/authorize` that needs a sign-in or consent) per address (IPv6: per /64) in the window; further ones get 429.',
  }),
  YEON_AUTHORIZE_WINDOW_MINUTES: Type.Integer({
    default: 10,
    minimum: 1,
    maximum: 1440,
    description: 'Window of `YEON_AUTHORIZE_MAX_PER_IP`.',
  }),
  YEON_TEST_NOTIFICATION_COOLDOWN_SECONDS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 3600,
    description: 'After "Send test notification", how long the same app must wait to send another.',
  }),
  YEON_OUTBOUND_ALLOW: Type.Optional(
    Type.String({
      description:
        'CIDRs outbound callbacks may reach despite the SSRF guard (default: loopback in development).',
    }),
  ),
  YEON_EGRESS_IPS: Type.Optional(
    Type.String({
      description:
        'Comma list of the source addresses/CIDRs outbound callbacks come from, published to developers.',
    }),
  ),
  YEON_OUTBOUND_LOCAL_ADDRESS: Type.Optional(
    Type.String({ minLength: 1, description: 'Local IP address outbound callback sockets bind to.' }),
  ),
  YEON_CALLBACK_TIMEOUT_MS: Type.Integer({
    default: 3000,
    minimum: 100,
    maximum: 60_000,
    description: 'Whole-request timeout of one callback attempt (Kakao: 3 s).',
  }),
  YEON_WEBHOOK_SECRET_OVERLAP_HOURS: Type.Integer({
    default: 24,
    minimum: 1,
    maximum: 720,
    description: 'After a webhook signing secret is rotated, how long the old one keeps signing too.',
  }),
  YEON_DISPATCHER: Type.Union([Bool, Type.Literal('on'), Type.Literal('off')], {
    default: 'on',
    description:
      'Deliver notifications inside `yeon serve`; `off` when separate `yeon worker` processes do it.',
  }),
  YEON_NOTIFY_SCHEDULE: Type.String({
    default: '5s,5m,30m,2h,5h,10h,10h,14h,20h,24h',
    minLength: 2,
    description:
      'Retry delays after the first attempt (units ms, s, m, h, d); after the last the notification fails.',
  }),
  YEON_NOTIFY_JITTER: Type.Integer({
    default: 10,
    minimum: 0,
    maximum: 50,
    description: 'Random spread of each retry delay, in percent (±).',
  }),
  YEON_NOTIFY_LEASE_SECONDS: Type.Integer({
    default: 60,
    minimum: 1,
    maximum: 3600,
    description:
      'How long a dispatcher owns a claimed notification; after a crash it is retried once this passes.',
  }),
  YEON_NOTIFY_CONCURRENCY: Type.Integer({
    default: 16,
    minimum: 1,
    maximum: 256,
    description: 'Deliveries in flight at once per dispatcher process.',
  }),
  YEON_NOTIFY_APP_CONCURRENCY: Type.Integer({
    default: 2,
    minimum: 1,
    maximum: 64,
    description: 'Deliveries in flight at once to one app, so a slow app does not delay the others.',
  }),
  YEON_NOTIFY_POLL_MS: Type.Integer({
    default: 1000,
    minimum: 20,
    maximum: 60_000,
    description: 'How often a dispatcher looks for due notifications.',
  }),
  YEON_NOTIFY_AUTO_PAUSE_DAYS: Type.Integer({
    default: 5,
    minimum: 1,
    maximum: 90,
    description: "Pause an app's callback after it has failed this long without one success.",
  }),
  YEON_SMTP_URL: Type.Optional(
    Type.String({
      pattern: '^smtps?://',
      description:
        'Where mail is sent: `smtps://user:pass@smtp.example.com:465` or `smtp://smtp.example.com:587` (STARTTLS required, except on loopback). Required in production; without it development and test start a mailbox at `/dev/mailbox`.',
    }),
  ),
  YEON_MAIL_FROM: Type.Optional(
    Type.String({
      minLength: 3,
      description: 'Sender of every mail (default `"<platform name>" <no-reply@<issuer host>>`).',
    }),
  ),
  YEON_METRICS: Type.Union([Bool], {
    default: 'true',
    description: 'Serve Prometheus metrics at `/metrics`.',
  }),
  YEON_METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 32,
      description:
        'Bearer token `/metrics` asks for (`Authorization: Bearer <token>`); required in production while metrics are on.',
    }),
  ),
  YEON_DB_CONNECT_TIMEOUT_MS: Type.Integer({
    default: 2000,
    minimum: 100,
    maximum: 60_000,
    description:
      'PostgreSQL: how long a request waits for a new connection before it is answered 503 (database unavailable) instead of hanging.',
  }),
  YEON_MAX_EVENT_LOOP_DELAY_MS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 60_000,
      description:
        'Shed load: while the event loop lags more than this, requests are answered 503 with `Retry-After` (0 = never; default 1000 in production, 0 otherwise).',
    }),
  ),
  YEON_MAX_HEAP_USED_MB: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 65_536,
    description:
      'Shed load: while the JavaScript heap holds more than this, requests are answered 503 with `Retry-After` (0 = never; e.g. 80% of `--max-old-space-size`).',
  }),
});

export type Env = Static<typeof EnvSchema>;
