/** Locale negotiation: the language cookie wins, then Accept-Language, then the configured default. */
export const LOCALES = ['ko', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'yeon_lang';

export function isLocale(value: unknown): value is Locale {
  return value === 'ko' || value === 'en';
}

export function negotiateLocale(
  cookie: string | undefined,
  acceptLanguage: string | undefined,
  fallback: Locale,
): Locale {
  if (isLocale(cookie)) return cookie;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .filter((r) => r.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  }
  return fallback;
}
