/**
 * The "open the app" button of Delete All Data in case 2 (no unlink callback): the platform cannot
 * notify the app, so it sends the person to the app to leave it in person, "according to the
 * settings in [My Application] > [Platform] > [Android] or [iOS]" (Kakao's wording). Chosen from
 * the User-Agent: Android → an intent for the package that falls back to the market URL, iOS → the
 * App Store URL, anything else (or a mobile platform the app did not configure) → the first web
 * site URL. undefined: nothing to open (the page then says to contact the app).
 */
import type { AppPlatforms } from '../../modules/apps/apps.types.ts';

export type DeviceKind = 'android' | 'ios' | 'other';

export function deviceOf(userAgent: string | undefined): DeviceKind {
  const ua = userAgent ?? '';
  if (/\bAndroid\b/i.test(ua)) return 'android';
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return 'ios';
  return 'other';
}

/**
 * Chrome's intent syntax (developer.chrome.com "Android Intents with Chrome"): MAIN/LAUNCHER opens
 * the app's start screen; without the app installed Chrome follows S.browser_fallback_url.
 */
export function androidIntentUrl(packageName: string, marketUrl: string): string {
  return (
    'intent://open#Intent;action=android.intent.action.MAIN;category=android.intent.category.LAUNCHER;' +
    `package=${packageName};S.browser_fallback_url=${encodeURIComponent(marketUrl)};end`
  );
}

export function openAppTarget(platforms: AppPlatforms, userAgent: string | undefined): string | undefined {
  const device = deviceOf(userAgent);
  if (device === 'android' && platforms.android) {
    const { package_name: pkg, market_url: market } = platforms.android;
    return androidIntentUrl(pkg, market || `https://play.google.com/store/apps/details?id=${pkg}`);
  }
  if (device === 'ios' && platforms.ios?.app_store_url) return platforms.ios.app_store_url;
  return platforms.site_urls[0];
}
