/** What every page template needs, built once per request by `viewContext()`. */
import type { FastifyRequest } from 'fastify';
import { TIME_ZONE_COOKIE, timeZoneOr } from '../i18n/dates.ts';
import type { Locale, Translate } from '../i18n/index.ts';

export interface ViewContext {
  t: Translate;
  locale: Locale;
  /** the reader's IANA time zone (from the yeon_tz cookie, checked), for `formatDateIn(ctx, …)` */
  timeZone: string;
  /** the app clock's now, for "3분 전" (`formatRecentIn(ctx, at, ctx.now)`) */
  now: number;
  platformName: string;
  platformLogoUrl?: string;
  /** the signed-in person's nickname, when there is one */
  nickname?: string;
  csrfToken: string;
  /** path + query of this page, for the language switch to come back to */
  currentUrl: string;
}

export function viewContext(request: FastifyRequest): ViewContext {
  const config = request.server.config;
  return {
    t: request.t,
    locale: request.locale,
    timeZone: timeZoneOr(request.cookies[TIME_ZONE_COOKIE], request.locale),
    now: request.server.services.clock.now(),
    platformName: config.platformName,
    platformLogoUrl: config.platformLogoUrl,
    nickname: request.account?.nickname,
    csrfToken: request.csrfToken(),
    currentUrl: request.url,
  };
}
