/**
 * Where to go after login: only a path on this site, never another origin (no open redirect).
 * The check parses the value the way a browser will (WHATWG URL: it drops tabs and newlines and
 * reads `\` as `/`), so `/\t/evil.com` or `/\evil.com` cannot turn into `//evil.com` after we said yes.
 *
 * The answer goes into a `Location` header, which carries ASCII only (RFC 9110 §5.5; Node refuses
 * anything else with an exception): the path is answered as the URL parser serialises it, with
 * non-ASCII percent-encoded as UTF-8 (RFC 3986 §2.1, §2.5). A value whose percent-encoding is
 * malformed (`%A`, `%E0%A4%A`) or does not decode to UTF-8 (`%FF`) is not a path anyone linked to,
 * so it gets the fallback rather than a guess.
 */
const BASE = 'http://yeon.invalid';

export function safeNext(value: unknown, fallback = '/account'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (!value.startsWith('/') || /[\\\u0000-\u001f\u007f-\u009f]/.test(value)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (parsed.origin !== BASE) return fallback;
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  try {
    decodeURIComponent(path);
  } catch {
    return fallback;
  }
  // Still starts with one `/` only: a path that resolved to `//host` would read as another origin.
  return path.startsWith('//') ? fallback : path;
}
