/**
 * What the request logs may say (OWASP Logging Cheat Sheet, "Data to exclude": access tokens,
 * session identifiers, passwords, encryption keys and other secrets). Fastify logs each request's
 * method and URL and, when told to, headers and errors: the URL carries `?access_token=` (Kakao's
 * user API accepts it), the OAuth redirect carries `code`, the headers carry `Authorization` and
 * cookies. So the request serializer writes the URL with those query values replaced, writes no
 * headers, and pino's `redact` censors the same names wherever an object logged by hand holds them.
 */
import type { FastifyServerOptions } from 'fastify';

export const REDACTED = '[redacted]';

/** Query and body names whose values are credentials (RFC 6749 §4.1.2, §4.1.3, §6; RFC 7009). */
const SECRET_PARAMS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'password',
  'new_password',
  'current_password',
  '_csrf',
  'admin_key',
]);

/** `/path?access_token=abc&x=1` → `/path?access_token=[redacted]&x=1`; the rest untouched. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // A malformed name is logged as it came; only known names are secrets.
    }
    return eq >= 0 && SECRET_PARAMS.has(name.toLowerCase()) ? `${rawName}=${REDACTED}` : part;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

const HEADER_PATHS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization'].flatMap(
  (h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`],
);
// Not `code`: in logged objects it is an error code (`csrf_invalid`, `ECONNRESET`), which logs need;
// the OAuth `code` only ever travels in URLs and bodies, and bodies are not logged.
const FIELD_PATHS = [...SECRET_PARAMS].filter((f) => f !== 'code').flatMap((f) => [f, `*.${f}`]);

/**
 * Logger options with the redaction in place, merged over `given` (a level, a test's stream).
 * `false` stays false: no logger, nothing to redact.
 */
export function loggerOptions(
  given: FastifyServerOptions['logger'] | undefined,
  level: string,
): FastifyServerOptions['logger'] {
  if (given === false) return false;
  const base = typeof given === 'object' && given !== null ? given : {};
  return {
    level,
    ...base,
    redact: { paths: [...HEADER_PATHS, ...FIELD_PATHS], censor: REDACTED },
    serializers: {
      ...(base as { serializers?: Record<string, unknown> }).serializers,
      req(req: {
        method: string;
        url: string;
        host?: string;
        ip?: string;
        socket?: { remotePort?: number };
      }) {
        return {
          method: req.method,
          url: redactUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        };
      },
    },
  } as FastifyServerOptions['logger'];
}
