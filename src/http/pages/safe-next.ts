/**
 * Where to go after login: only a path on this site, never another origin (no open redirect).
 * The check parses the value the way a browser will (WHATWG URL: it drops tabs and newlines and
 * reads `\` as `/`), so `/\t/evil.com` or `/\evil.com` cannot turn into `//evil.com` after we said yes.
 */
const BASE = 'http://yeon.invalid';

export function safeNext(value: unknown, fallback = '/account'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (!value.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(value, BASE);
  } catch {
    return fallback;
  }
  return parsed.origin === BASE ? value : fallback;
}
