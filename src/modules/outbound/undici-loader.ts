/**
 * undici loads with the first outbound request, not at start: an instance that has sent nothing
 * (no unlink callback due, no receipt to fetch) does not hold it, about 7 MB resident and 45 ms of
 * a cold start (bench part 6; docs/decisions/0007). `sendRequest` awaits `loadUndici()` before it
 * builds a client, a pool or a connector; those then take the loaded module from `undici()`.
 */
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;
let loading: Promise<typeof Undici> | undefined;

export function loadUndici(): Promise<typeof Undici> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('undici').then((m) => {
    loaded = m;
    return m;
  });
  return loading;
}

/** The module, once `loadUndici()` has resolved. */
export function undici(): typeof Undici {
  if (!loaded) throw new Error('undici is not loaded yet: await loadUndici() first');
  return loaded;
}
