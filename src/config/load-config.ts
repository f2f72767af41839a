/**
 * loadConfig(env) → Config: pure; validates every variable against `EnvSchema` and fails fast with
 * an error that names the variable. Derived values (issuer, database) are computed here
 * so that the rest of the code never guesses.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { parseSchedule } from '../modules/notifications/schedule.ts';
import { type Env, EnvSchema } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      connectTimeoutMs?: number;
      /** named statements per connection (pg-named-statements.ts); default true */
      preparedStatements?: boolean;
    };

export interface Config {
  env: Env['YEON_ENV'];
  host: string;
  port: number;
  issuer: string;
  /** true when the issuer is https: cookies get `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  /**
   * YEON_LOOPBACK_HTTP_ISSUER on a loopback issuer: a measurement run (npm run bench) in
   * production mode, whose apps may also keep plain-http loopback callbacks (apps.validation.ts).
   */
  loopbackMeasurement: boolean;
  dataDir: string;
  database: DatabaseConfig;
  cookieSecret?: string;
  /** YEON_ENCRYPTION_KEY and _PREVIOUS, parsed by config/secrets.ts resolveKeyring */
  encryptionKey?: string;
  encryptionKeyPrevious?: string;
  /** YEON_NEW_ENCRYPTION_KEY: only `yeon secrets rotate-key` reads it */
  newEncryptionKey?: string;
  platformName: string;
  platformLogoUrl?: string;
  defaultLocale: 'ko' | 'en';
  logLevel: string;
  sessionTtlMs: number;
  sessionRememberMs: number;
  trustProxy: boolean | string;
  passwordHashConcurrency: number;
  /** load shedding (@fastify/under-pressure, http/ops/load-shedding.ts); 0 = that check is off */
  shed: { maxEventLoopDelayMs: number; maxHeapUsedBytes: number };
  login: { maxFailures: number; windowMs: number; signupsPerIp: number };
  /** abuse limits counted in the database (modules/abuse) */
  abuse: { authorizePerIp: number; authorizeWindowMs: number; testNotificationCooldownMs: number };
  outboundAllow: string[];
  /** published source addresses of outbound callbacks */
  egressIps: string[];
  /** bind outbound sockets here when set */
  outboundLocalAddress?: string;
  callbackTimeoutMs: number;
  webhookSecretOverlapMs: number;
  metrics: boolean;
  /** the bearer token /metrics asks for, when set */
  metricsToken?: string;
  /** the notification dispatcher (docs/notifications.md) */
  notify: NotifyConfig;
  /** outgoing mail (src/modules/mail/) */
  mail: MailConfig;
}

export interface MailConfig {
  /** absent outside production: the development mailbox receives the mail instead */
  smtpUrl?: string;
  /** the `From` header */
  from: string;
}

export interface NotifyConfig {
  /** run the dispatcher inside `yeon serve` */
  inServe: boolean;
  /** retry delays (ms) after the first attempt */
  schedule: number[];
  /** ± fraction, e.g. 0.1 */
  jitter: number;
  leaseMs: number;
  concurrency: number;
  appConcurrency: number;
  pollMs: number;
  autoPauseMs: number;
}

const LOOPBACK_CIDRS = ['127.0.0.0/8', '::1/128'];

function truthy(v: string): boolean {
  return v === 'true' || v === '1';
}

function pickEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') out[key] = raw;
  }
  return out;
}

/** Values that must never be echoed back in an error (they end up in terminals and logs). */
const SECRET_VARIABLES = new Set([
  'YEON_COOKIE_SECRET',
  'DATABASE_URL',
  'YEON_METRICS_TOKEN',
  'YEON_SMTP_URL',
  'YEON_ENCRYPTION_KEY',
  'YEON_ENCRYPTION_KEY_PREVIOUS',
  'YEON_NEW_ENCRYPTION_KEY',
]);

function describeValue(variable: string, given: string | undefined): string {
  if (given === undefined) return '';
  return SECRET_VARIABLES.has(variable) ? ' (value not shown)' : ` (got ${JSON.stringify(given)})`;
}

/** TypeBox's Convert would read "80.5" as 80: integers must be written as integers. */
function assertIntegers(raw: Record<string, string>): void {
  for (const [key, value] of Object.entries(raw)) {
    const schema = (EnvSchema.properties as Record<string, { type?: string }>)[key];
    if (schema?.type === 'integer' && !/^-?\d+$/.test(value.trim()))
      throw new ConfigError(key, `Expected integer${describeValue(key, value)}`);
  }
}

function validate(raw: Record<string, string>): Env {
  assertIntegers(raw);
  const withDefaults = Value.Default(EnvSchema, Value.Convert(EnvSchema, { ...raw }));
  const first = Value.Errors(EnvSchema, withDefaults).First();
  if (first) {
    const variable = first.path.replace(/^\//, '').split('/')[0] || 'configuration';
    throw new ConfigError(variable, `${first.message}${describeValue(variable, raw[variable])}`);
  }
  return withDefaults as Env;
}

function resolveDatabase(env: Env, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (!url) return { kind: 'sqlite', file: path.join(dataDir, 'yeon.db') };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file) throw new ConfigError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:./data/yeon.db');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  try {
    new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
  }
  return {
    kind: 'postgres',
    url,
    poolSize: env.YEON_DB_POOL_SIZE,
    connectTimeoutMs: env.YEON_DB_CONNECT_TIMEOUT_MS,
    preparedStatements: truthy(env.YEON_DB_PREPARED_STATEMENTS),
  };
}

function isLoopbackMeasurement(env: Env, issuer: string): boolean {
  return (
    env.YEON_LOOPBACK_HTTP_ISSUER && ['127.0.0.1', '[::1]', 'localhost'].includes(new URL(issuer).hostname)
  );
}

function resolveIssuer(env: Env): string {
  const issuer = (env.YEON_ISSUER ?? `http://localhost:${env.YEON_PORT || 8080}`).replace(/\/+$/, '');
  const url = new URL(issuer);
  // Not even localhost: a production issuer is what browsers and apps reach, and over plain http
  // its session cookies lose `Secure` and its tokens travel in clear (RFC 6749 §3.1, §10.9).
  // The one exception is a measurement run (npm run bench): production's code paths on a loopback
  // address that no browser of anyone else can reach, switched on by name, never by default.
  if (env.YEON_ENV === 'production' && url.protocol !== 'https:' && !isLoopbackMeasurement(env, issuer)) {
    throw new ConfigError('YEON_ISSUER', `must be https:// in production (got ${JSON.stringify(issuer)})`);
  }
  return issuer;
}

function parseCidrList(variable: string, value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const cidr of list) {
    const [address = '', prefix, ...rest] = cidr.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? 0 : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (family === 0 || rest.length || bits < 0 || bits > (family === 4 ? 32 : 128))
      throw new ConfigError(variable, `"${cidr}" is not an IP address or CIDR`);
  }
  return list;
}

function parseLocalAddress(value: string | undefined): string | undefined {
  if (value !== undefined && isIP(value) === 0)
    throw new ConfigError('YEON_OUTBOUND_LOCAL_ADDRESS', `"${value}" is not an IP address`);
  return value;
}

function parseNotify(e: Env): NotifyConfig {
  let schedule: number[];
  try {
    schedule = parseSchedule(e.YEON_NOTIFY_SCHEDULE);
  } catch (err) {
    throw new ConfigError('YEON_NOTIFY_SCHEDULE', (err as Error).message);
  }
  // A lease shorter than one attempt would let a second dispatcher send while the first still waits.
  const leaseMs = e.YEON_NOTIFY_LEASE_SECONDS * 1000;
  if (leaseMs <= e.YEON_CALLBACK_TIMEOUT_MS)
    throw new ConfigError(
      'YEON_NOTIFY_LEASE_SECONDS',
      `must be longer than YEON_CALLBACK_TIMEOUT_MS (${e.YEON_CALLBACK_TIMEOUT_MS} ms)`,
    );
  const dispatcher = e.YEON_DISPATCHER;
  return {
    inServe: dispatcher === 'on' || truthy(dispatcher),
    schedule,
    jitter: e.YEON_NOTIFY_JITTER / 100,
    leaseMs,
    concurrency: e.YEON_NOTIFY_CONCURRENCY,
    appConcurrency: e.YEON_NOTIFY_APP_CONCURRENCY,
    pollMs: e.YEON_NOTIFY_POLL_MS,
    autoPauseMs: e.YEON_NOTIFY_AUTO_PAUSE_DAYS * 86_400_000,
  };
}

/**
 * Production refusals that need more than one variable, checked at boot after the secrets
 * (OWASP ASVS V14.1: no insecure defaults in production).
 * @throws ConfigError naming the variable to set.
 */
export function assertProductionSetup(config: Config): void {
  if (config.env !== 'production') return;
  if (config.metrics && !config.metricsToken)
    throw new ConfigError(
      'YEON_METRICS_TOKEN',
      'must be set in production while /metrics is on (or set YEON_METRICS=false)',
    );
  // Mail carries password resets and security notices; production never falls back to a mailbox
  // nobody reads (OWASP ASVS V14.1).
  if (!config.mail.smtpUrl)
    throw new ConfigError(
      'YEON_SMTP_URL',
      'must be set in production (e.g. smtps://user:pass@smtp.example.com:465)',
    );
}

export function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const e = validate(pickEnv(env));
  const dataDir = path.resolve(e.YEON_DATA_DIR);
  const issuer = resolveIssuer(e);
  const trust = e.YEON_TRUST_PROXY;
  return {
    env: e.YEON_ENV,
    host: e.YEON_HOST,
    port: e.YEON_PORT,
    issuer,
    secureCookies: issuer.startsWith('https:'),
    loopbackMeasurement: isLoopbackMeasurement(e, issuer),
    dataDir,
    database: resolveDatabase(e, dataDir),
    cookieSecret: e.YEON_COOKIE_SECRET,
    encryptionKey: e.YEON_ENCRYPTION_KEY,
    encryptionKeyPrevious: e.YEON_ENCRYPTION_KEY_PREVIOUS,
    newEncryptionKey: e.YEON_NEW_ENCRYPTION_KEY,
    platformName: e.YEON_PLATFORM_NAME,
    platformLogoUrl: e.YEON_PLATFORM_LOGO_URL,
    defaultLocale: e.YEON_DEFAULT_LOCALE,
    logLevel: e.YEON_LOG_LEVEL,
    sessionTtlMs: e.YEON_SESSION_TTL_HOURS * 3_600_000,
    sessionRememberMs: e.YEON_SESSION_REMEMBER_DAYS * 86_400_000,
    trustProxy:
      trust === 'true' || trust === 'false' || trust === '1' || trust === '0' ? truthy(trust) : trust,
    passwordHashConcurrency: e.YEON_PASSWORD_HASH_CONCURRENCY ?? availableParallelism(),
    shed: {
      // On by default in production only: a development machine or a test run that lags (a
      // debugger, a loaded CI host) should be slow, not refuse its own requests.
      maxEventLoopDelayMs: e.YEON_MAX_EVENT_LOOP_DELAY_MS ?? (e.YEON_ENV === 'production' ? 1000 : 0),
      maxHeapUsedBytes: e.YEON_MAX_HEAP_USED_MB * 1_048_576,
    },
    login: {
      maxFailures: e.YEON_LOGIN_MAX_FAILURES,
      windowMs: e.YEON_LOGIN_WINDOW_MINUTES * 60_000,
      signupsPerIp: e.YEON_SIGNUP_MAX_PER_IP,
    },
    abuse: {
      authorizePerIp: e.YEON_AUTHORIZE_MAX_PER_IP,
      authorizeWindowMs: e.YEON_AUTHORIZE_WINDOW_MINUTES * 60_000,
      testNotificationCooldownMs: e.YEON_TEST_NOTIFICATION_COOLDOWN_SECONDS * 1000,
    },
    outboundAllow:
      e.YEON_OUTBOUND_ALLOW !== undefined
        ? parseCidrList('YEON_OUTBOUND_ALLOW', e.YEON_OUTBOUND_ALLOW)
        : e.YEON_ENV === 'production'
          ? []
          : LOOPBACK_CIDRS,
    webhookSecretOverlapMs: e.YEON_WEBHOOK_SECRET_OVERLAP_HOURS * 3_600_000,
    egressIps: e.YEON_EGRESS_IPS !== undefined ? parseCidrList('YEON_EGRESS_IPS', e.YEON_EGRESS_IPS) : [],
    outboundLocalAddress: parseLocalAddress(e.YEON_OUTBOUND_LOCAL_ADDRESS),
    callbackTimeoutMs: e.YEON_CALLBACK_TIMEOUT_MS,
    metrics: truthy(e.YEON_METRICS),
    metricsToken: e.YEON_METRICS_TOKEN,
    notify: parseNotify(e),
    mail: {
      smtpUrl: e.YEON_SMTP_URL,
      from:
        e.YEON_MAIL_FROM ??
        `"${e.YEON_PLATFORM_NAME.replace(/["\\]/g, '')}" <no-reply@${new URL(issuer).hostname}>`,
    },
  };
}
