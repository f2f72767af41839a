/** What every page template needs, built once per request by `viewContext()`. */
import type { FastifyRequest } from 'fastify';
import type { Locale, Translate } from '../i18n/index.ts';

export interface ViewContext {
  t: Translate;
  locale: Locale;
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
    platformName: config.platformName,
    platformLogoUrl: config.platformLogoUrl,
    nickname: request.account?.nickname,
    csrfToken: request.csrfToken(),
    currentUrl: request.url,
  };
}
