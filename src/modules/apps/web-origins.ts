/**
 * An app's registered Web domains: the origins its JavaScript key may be used from (Kakao's
 * "Web platform → site domain", the JavaScript SDK's domain check). The one place that decides
 * whether a browser origin belongs to an app: the JavaScript key's authorization requests and CORS
 * on the token and user APIs (Fetch Standard §3.2 "CORS protocol") both ask here.
 */
import type { AppRow } from './apps.types.ts';

/** The app's registered origins, as stored (`https://example.com`, no path). */
export function webOriginsOf(app: Pick<AppRow, 'javascript_origins'>): string[] {
  try {
    const parsed: unknown = JSON.parse(app.javascript_origins);
    return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
}

/** The serialised origin of `value` (RFC 6454 §6.2), or undefined when it is not a URL origin. */
export function normaliseOrigin(value: string): string | undefined {
  if (!value || value === 'null' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Is `origin` (an `Origin` header) one of the app's registered Web domains? */
export function isWebOriginOf(app: Pick<AppRow, 'javascript_origins'>, origin: string): boolean {
  const wanted = normaliseOrigin(origin);
  if (!wanted) return false;
  return webOriginsOf(app).some((registered) => normaliseOrigin(registered) === wanted);
}
