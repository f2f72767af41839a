/**
 * Login rate limit (OWASP Authentication Cheat Sheet "Account lockout"; ASVS 4.0.3 V2.2.1).
 * Attempts are counted in the database (any instance sees them) under three keys:
 *   pair:<email>|<ip>  — limit N:    stops guessing one account from one address;
 *   ip:<ip>            — limit 6·N:  stops one address from spraying many accounts;
 *   acct:<email>       — limit 4·N:  stops a distributed attack on one account (with N = 5 and a 15-min
 *                                   window, at most 80 failures an hour: ASVS 4.0.3 V2.2.1 asks ≤ 100).
 * A block lasts one window and then lifts by itself: nobody is ever locked out for good. The
 * account-wide block is skipped for a browser that carries this account's trusted-device cookie
 * (set at a successful login), so an attacker elsewhere cannot keep the real owner out.
 * Unknown emails are throttled exactly like real ones: the answer reveals nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';

export interface ThrottleSettings {
  maxFailures: number;
  windowMs: number;
}

interface Key {
  key: string;
  limit: number;
}

/** The pair key comes first (assertAllowed reads it back). */
function keysFor(email: string, ip: string, settings: ThrottleSettings, trustedDevice: boolean): Key[] {
  const keys: Key[] = [
    { key: `pair:${email}|${ip}`, limit: settings.maxFailures },
    { key: `ip:${ip}`, limit: settings.maxFailures * 6 },
  ];
  if (!trustedDevice) keys.push({ key: `acct:${email}`, limit: settings.maxFailures * 4 });
  return keys;
}

export function createLoginThrottle(db: Kysely<Database>, clock: Clock, settings: ThrottleSettings) {
  /**
   * Adds one attempt to `key` and returns the count in the current window, in one statement: the
   * database serialises concurrent upserts of one row, so no two callers see the same count.
   * The window starts afresh once it is over and no block is running; the attempt that reaches
   * `limit` blocks the key for one window from now.
   */
  async function assertAllowed(
    email: string,
    ip: string,
    trustedDevice: boolean,
  ): Promise<{ pairFailures: boolean }> {
    const keys = keysFor(email, ip, settings, trustedDevice).map((k) => k.key);
    const rows = await db
      .selectFrom('login_throttle')
      .select(['key', 'blocked_until'])
      .where('key', 'in', keys)
      .execute();
    const now = clock.now();
    const until = Math.max(0, ...rows.map((r) => r.blocked_until));
    if (until > now) {
      throw new AppError('login_throttled', {
        params: { minutes: Math.max(1, Math.ceil((until - now) / 60_000)) },
      });
    }
    return { pairFailures: rows.some((r) => r.key === keys[0]) };
  }

  async function recordFailure(email: string, ip: string): Promise<void> {
    const now = clock.now();
    for (const { key, limit } of keysFor(email, ip, settings, false)) {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('login_throttle')
          .selectAll()
          .where('key', '=', key)
          .executeTakeFirst();
        const fresh = !row || row.window_started_at + settings.windowMs <= now;
        const failures = fresh ? 1 : row.failures + 1;
        const windowStart = fresh ? now : row.window_started_at;
        const blockedUntil = failures >= limit ? now + settings.windowMs : (row?.blocked_until ?? 0);
        await trx
          .insertInto('login_throttle')
          .values({ key, failures, window_started_at: windowStart, blocked_until: blockedUntil })
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({ failures, window_started_at: windowStart, blocked_until: blockedUntil }),
          )
          .execute();
      });
    }
  }

  /**
   * A success clears this address's count for the account; the others expire on their own. Called
   * only when assertAllowed saw a count: a failure recorded by a concurrent request after that read
   * then stays counted, which is the stricter outcome.
   */
  async function recordSuccess(email: string, ip: string): Promise<void> {
    await db.deleteFrom('login_throttle').where('key', '=', `pair:${email}|${ip}`).execute();
  }

  async function purgeExpired(): Promise<void> {
    const now = clock.now();
    await db
      .deleteFrom('login_throttle')
      .where('blocked_until', '<', now)
      .where('window_started_at', '<', now - settings.windowMs)
      .execute();
  }

  return { assertAllowed, recordFailure, recordSuccess, purgeExpired };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
