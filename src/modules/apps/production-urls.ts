/**
 * The boot check of `yeon serve` in production: apps whose stored URLs production refuses
 * (apps.validation.ts `plainHttpInProduction`): plain-http redirect URIs other than loopback
 * (RFC 8252 §7.3) and plain-http unlink callbacks. The console, the API and the CLI refuse such
 * URLs as they are typed in production; this finds the ones saved before, in development or by
 * an older version, so that production never starts sending codes or admin keys over plain http.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { plainHttpInProduction, type UrlRules } from './apps.validation.ts';

export interface PlainHttpAppUrl {
  appId: number;
  appName: string;
  /** which setting holds it */
  field: 'redirect_uri' | 'logout_redirect_uri' | 'unlink_callback_url';
  url: string;
}

export async function findPlainHttpAppUrls(
  db: Kysely<Database>,
  rules: Pick<UrlRules, 'loopbackCallbacks'> = {},
): Promise<PlainHttpAppUrl[]> {
  // Only http rows can be refused (the scheme is case-insensitive, RFC 3986 §3.1): the filter
  // keeps the read small whatever the number of apps.
  const [redirects, callbacks] = await Promise.all([
    db
      .selectFrom('app_redirect_uris as r')
      .innerJoin('apps as a', 'a.id', 'r.app_id')
      .select(['a.id', 'a.name', 'r.kind', 'r.uri'])
      .where((eb) => eb(eb.fn('lower', ['r.uri']), 'like', 'http:%'))
      .orderBy('a.id')
      .orderBy('r.kind')
      .orderBy('r.position')
      .execute(),
    db
      .selectFrom('apps')
      .select(['id', 'name', 'unlink_callback_url'])
      .where((eb) => eb(eb.fn('lower', ['unlink_callback_url']), 'like', 'http:%'))
      .orderBy('id')
      .execute(),
  ]);
  const found: PlainHttpAppUrl[] = [];
  for (const r of redirects) {
    if (!plainHttpInProduction('redirect_uri', r.uri)) continue;
    const field = r.kind === 'logout' ? 'logout_redirect_uri' : 'redirect_uri';
    found.push({ appId: Number(r.id), appName: r.name, field, url: r.uri });
  }
  for (const a of callbacks) {
    const url = a.unlink_callback_url ?? '';
    if (plainHttpInProduction('unlink_callback_url', url, rules))
      found.push({ appId: Number(a.id), appName: a.name, field: 'unlink_callback_url', url });
  }
  return found.sort((x, y) => x.appId - y.appId);
}

const FIELD_LABELS: Record<PlainHttpAppUrl['field'], string> = {
  redirect_uri: 'redirect URI',
  logout_redirect_uri: 'logout redirect URI',
  unlink_callback_url: 'unlink callback URL',
};

/** One line for the operator naming the first app and URL, or undefined when there is none. */
export function plainHttpRefusal(found: readonly PlainHttpAppUrl[]): string | undefined {
  const [first, ...more] = found;
  if (!first) return undefined;
  const others = more.length ? ` (and ${more.length} more)` : '';
  return (
    `production refuses app ${first.appId} ${JSON.stringify(first.appName)}: its ${FIELD_LABELS[first.field]} ` +
    `${JSON.stringify(first.url)} is plain http${others}; change it to https:// ` +
    '(only loopback redirect URIs of native apps may stay http)'
  );
}
