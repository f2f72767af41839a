/*
 * Tells yeon the reader's time zone, so pages write times in it: the server cannot know it, and a
 * page works without this script (times are then in the language's default zone). Saved as the
 * yeon_tz cookie, which the server checks against the zones it knows; it takes effect from the
 * next page.
 */
(() => {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || !/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) return;
    const saved = document.cookie.match(/(?:^|; )yeon_tz=([^;]*)/);
    if (saved && decodeURIComponent(saved[1]) === zone) return;
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and older Safari
    document.cookie = `yeon_tz=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  } catch {
    // An old browser without Intl time zones keeps the default zone.
  }
})();
