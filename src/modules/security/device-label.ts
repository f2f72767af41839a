/**
 * A readable name for a browser from its User-Agent ("Chrome" on "Android", "Safari" on
 * "iPhone"), for the Security page. A small ordered table, not a full parser: the name only helps a
 * person recognise their own device, and no decision is taken on it (a User-Agent is whatever the
 * client says, RFC 9110 §10.1.5). Order matters: most browsers also claim to be Safari and Chrome,
 * so the specific tokens are tried first.
 */

export interface DeviceLabel {
  /** '' when unknown */
  browser: string;
  /** '' when unknown */
  os: string;
}

const BROWSERS: Array<[RegExp, string]> = [
  [/KAKAOTALK/i, 'KakaoTalk'],
  [/NAVER\(inapp/i, 'NAVER'],
  [/Whale\//, 'Whale'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/EdgA?\/|EdgiOS\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
  [/curl\//, 'curl'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Macintosh|Mac OS X/, 'Mac'],
  [/Linux/, 'Linux'],
];

function firstMatch(table: Array<[RegExp, string]>, userAgent: string): string {
  for (const [pattern, name] of table) if (pattern.test(userAgent)) return name;
  return '';
}

export function deviceLabelOf(userAgent: string | null | undefined): DeviceLabel {
  // Bounded before matching: the header is the client's to choose.
  const ua = (userAgent ?? '').slice(0, 512);
  return { browser: firstMatch(BROWSERS, ua), os: firstMatch(SYSTEMS, ua) };
}
