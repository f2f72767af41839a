/**
 * The "now" against which an app key's overlap expiry is checked, bound to a database handle.
 *
 * A reissued key stops at its `expires_at` (app-key-rotation.ts), so every key lookup compares
 * with the time. Those lookups take only the database handle: oidc-provider asks for a client by
 * its id alone (`findClient`), and the Kakao API guard asks by the key. So the process's clock is
 * bound to the handle once, where its keyring is bound (services.ts), and the lookups ask the
 * handle, as `keyringOf` does. A handle without a bound clock uses the system clock; tests that
 * move time build the app with their clock, which binds it.
 */
import { type Clock, systemClock } from '../../lib/clock.ts';

const clocks = new WeakMap<object, Clock>();

export function bindKeyClock(db: object, clock: Clock): void {
  clocks.set(db, clock);
}

/** Now, for deciding whether a key in its overlap still works. */
export function keyNow(db: object): number {
  return (clocks.get(db) ?? systemClock).now();
}
