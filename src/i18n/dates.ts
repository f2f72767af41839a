/**
 * Dates in the person's language, with one `Intl.DateTimeFormat` per (locale, style) for the
 * process: building a formatter negotiates the locale and cost about half the connected-services
 * list's time with 200 apps. Formatters are immutable and locales and styles are
 * closed sets (the `Locale` type keeps it so), so the map stays small and never goes stale.
 */
import type { Locale } from './locale.ts';

export type DateStyle =
  /** 2026년 12월 4일 / December 4, 2026 */
  | 'date'
  /** the long date with the time */
  | 'dateTime'
  /** the console's compact date with the time: 2026. 12. 4. 오후 6:36 / Dec 4, 2026, 6:36 PM */
  | 'compactDateTime'
  /** the time to the second, for a receipt that changes while it is read: 오후 5:21:07 / 5:21:07 PM */
  | 'timeWithSeconds';

const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  dateTime: { dateStyle: 'long', timeStyle: 'short' },
  compactDateTime: { dateStyle: 'medium', timeStyle: 'short' },
  timeWithSeconds: { timeStyle: 'medium' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

export function formatDateIn(locale: Locale, style: DateStyle, at: number | Date): string {
  const key = `${locale} ${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, OPTIONS[style]);
    formatters.set(key, formatter);
  }
  if (locale !== 'ko' || style === 'date') return formatter.format(at);
  // Koreans read 오전/오후, and write it before the time ("오후 5:21"). Some ICU data (CLDR 48, as
  // in Node 20's ICU 78) gives Korean "AM"/"PM" instead, so the day period is spelled here.
  return formatter
    .formatToParts(at)
    .map((part) => (part.type === 'dayPeriod' ? (KOREAN_DAY_PERIOD[part.value] ?? part.value) : part.value))
    .join('');
}

const KOREAN_DAY_PERIOD: Record<string, string> = { AM: '오전', PM: '오후', am: '오전', pm: '오후' };
