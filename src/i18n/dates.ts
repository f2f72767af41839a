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
  | 'timeWithSeconds'
  /** a day on a chart's axis: 12월 4일 / Dec 4 */
  | 'monthDay';

const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  dateTime: { dateStyle: 'long', timeStyle: 'short' },
  compactDateTime: { dateStyle: 'medium', timeStyle: 'short' },
  timeWithSeconds: { timeStyle: 'medium' },
  monthDay: { month: 'short', day: 'numeric' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Whom a time is written for: their language and their time zone. A bare locale means the
 * language's default zone (the person's browser has not told us theirs).
 */
export type DateAudience = Locale | { locale: Locale; timeZone: string };

function audienceOf(audience: DateAudience): { locale: Locale; timeZone: string } {
  if (typeof audience === 'string') return { locale: audience, timeZone: DEFAULT_TIME_ZONE[audience] };
  return { locale: audience.locale, timeZone: timeZoneOr(audience.timeZone, audience.locale) };
}

export function formatDateIn(audience: DateAudience, style: DateStyle, at: number | Date): string {
  const { locale, timeZone } = audienceOf(audience);
  // Bounded: two locales, a few styles and the ~420 zones TIME_ZONES admits.
  const key = `${locale} ${style} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...OPTIONS[style], timeZone });
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

/**
 * The zone times are written in when the person's browser has not said: Korean readers are
 * mostly in Korea; English readers get UTC, which at least says which zone it is.
 */
export const DEFAULT_TIME_ZONE: Record<Locale, string> = { ko: 'Asia/Seoul', en: 'UTC' };

/** Set by /assets/timezone.js from the browser's `Intl.DateTimeFormat().resolvedOptions()`. */
export const TIME_ZONE_COOKIE = 'yeon_tz';

/**
 * The closed list of zone names this runtime knows. A cookie is the visitor's input (OWASP ASVS
 * V5.1.3: validate against an allow list), so only a name found here ever reaches a cached
 * formatter; anything else is tried once, inside a catch, for the name it resolves to. Browsers report UTC as "UTC", which
 * `supportedValuesOf` leaves out.
 */
const TIME_ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

export function isKnownTimeZone(value: unknown): value is string {
  return listedTimeZone(value) !== undefined;
}

/**
 * The listed name of a zone. Node lists some zones by their older IANA names (Asia/Calcutta)
 * while browsers report the current ones (Asia/Kolkata), and Intl also accepts any letter case:
 * such a name is mapped to the listed zone it resolves to, so every cache keyed by zone stays
 * bounded by TIME_ZONES.
 */
function listedTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  if (TIME_ZONES.has(value)) return value;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    return TIME_ZONES.has(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** The zone from the tz cookie when it names a known zone, else the language's default. */
export function timeZoneOr(value: unknown, locale: Locale): string {
  return listedTimeZone(value) ?? DEFAULT_TIME_ZONE[locale];
}

const relativeFormatters = new Map<Locale, Intl.RelativeTimeFormat>();
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Days since 1970-01-01 of the calendar date `at` falls on in `timeZone`. */
function calendarDay(at: number, timeZone: string): number {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dayFormatters.set(timeZone, formatter);
  }
  // One formatToParts per date: it is the costly call, and a list page asks for hundreds.
  let year = 0;
  let month = 0;
  let day = 0;
  for (const p of formatter.formatToParts(at)) {
    if (p.type === 'year') year = Number(p.value);
    else if (p.type === 'month') month = Number(p.value);
    else if (p.type === 'day') day = Number(p.value);
  }
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/**
 * A recent event as people say it: "3분 전", "2시간 전", "어제", "3일 전" / "3 minutes ago",
 * "yesterday". Days count calendar days in the person's zone, so 23:50 seen at 00:10 is "어제".
 * Anything a week old or more, or in the future, is not recent: the answer is undefined.
 */
export function relativeTimeIn(audience: DateAudience, at: number, now: number): string | undefined {
  const { locale, timeZone } = audienceOf(audience);
  let relative = relativeFormatters.get(locale);
  if (!relative) {
    relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormatters.set(locale, relative);
  }
  const seconds = Math.floor((now - at) / 1000);
  if (seconds < 0) return undefined;
  if (seconds < 60) return said(locale, relative, seconds, 'second');
  if (seconds < 3600) return said(locale, relative, Math.floor(seconds / 60), 'minute');
  const days = calendarDay(now, timeZone) - calendarDay(at, timeZone);
  if (days === 0) return said(locale, relative, Math.floor(seconds / 3600), 'hour');
  if (days < 7) return said(locale, relative, days, 'day');
  return undefined;
}

/**
 * "3분 전" for (3, minute), formatted once per locale: there are fewer than 150 such phrases
 * (under 60 seconds, 60 minutes, 24 hours, 7 days), and a list page says hundreds of them.
 */
const phrases: Record<Locale, Map<string, string>> = { en: new Map(), ko: new Map() };

function said(
  locale: Locale,
  relative: Intl.RelativeTimeFormat,
  ago: number,
  unit: Intl.RelativeTimeFormatUnit,
) {
  const key = `${unit}${ago}`;
  let phrase = phrases[locale].get(key);
  if (phrase === undefined) {
    phrase = relative.format(-ago, unit);
    phrases[locale].set(key, phrase);
  }
  return phrase;
}

/** `relativeTimeIn` for a recent event, else the date in `olderStyle`. */
export function formatRecentIn(
  audience: DateAudience,
  at: number,
  now: number,
  olderStyle: DateStyle = 'dateTime',
): string {
  return relativeTimeIn(audience, at, now) ?? formatDateIn(audience, olderStyle, at);
}
