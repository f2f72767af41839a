/**
 * Login rate limit (OWASP Authentication Cheat Sheet "Account lockout"; ASVS 4.0.3 V2.2.1).
 * Attempts are counted in the database (any instance sees them) under three keys:
 *   pair:<email>|<ip>  — limit N:    stops guessing one account from one address;
 *   ip:<ip>            — limit 6·N:  stops one address from spraying many accounts;
 *   acct:<email>       — limit 4·N:  stops a distributed attack on one account (with N = 5 and a 15-min
 *                                   window, at most 80 failures an hour: ASVS 4.0.3 V2.2.1 asks ≤ 100).
 * An attempt is counted BEFORE its password is hashed, by one conditional upsert per key that
 * returns the new count: a burst of parallel guesses cannot all pass a check made before any of
 * them is recorded, so at most the limit are ever verified (ASVS V2.2.1 is about attempts, not
 * about what was recorded when). A success or a refused attempt takes its count back, so in the
 * end only failures count, as before. The attempt that reaches the limit starts a block of one
 * window; it lifts by itself and is not extended by further tries: nobody is locked out for good.
 * The account-wide block is skipped for a browser that carries this account's trusted-device cookie
 * (set at a successful login), so an attacker elsewhere cannot keep the real owner out. The caller
 * decides that from the device's row (sessions.service.ts `isTrustedDevice`), read at each attempt:
 * a device the person forgot on the Security page is blocked like any other at once, and one
 * account's device never exempts another account.
 * Unknown emails are throttled exactly like real ones: the answer reveals nothing.
 * Sign-ups are counted per address the same way (signup:<ip>, never taken back: each one costs a
 * hash and creates an account).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';

export interface ThrottleSettings {
  maxFailures: number;
  windowMs: number;
  /** sign-ups per address in one window */
  signupsPerIp: number;
}

interface Key {
  key: string;
  limit: number;
  /** false: counted, but never the reason for a refusal (the account key of a trusted browser) */
  enforced: boolean;
}

function keysFor(email: string, ip: string, settings: ThrottleSettings, trustedDevice: boolean): Key[] {
  return [
    { key: `pair:${email}|${ip}`, limit: settings.maxFailures, enforced: true },
    { key: `ip:${ip}`, limit: settings.maxFailures * 6, enforced: true },
    // Counted for a trusted browser too (its failures are failures), but it is not blocked by it.
    { key: `acct:${email}`, limit: settings.maxFailures * 4, enforced: !trustedDevice },
  ];
}

/** A counted login attempt; a success passes it back to `succeeded`, a failure leaves it counted. */
export interface Attempt {
  email: string;
  ip: string;
  trustedDevice: boolean;
}

export function createLoginThrottle(db: Kysely<Database>, clock: Clock, settings: ThrottleSettings) {
  const W = settings.windowMs;

  /**
   * Adds one attempt to `key` and returns the count in the current window, in one statement: the
   * database serialises concurrent upserts of one row, so no two callers see the same count.
   * The window starts afresh once it is over and no block is running; the attempt that reaches
   * `limit` blocks the key for one window from now.
   */
  async function count(key: string, limit: number) {
    const now = clock.now();
    const t = (column: string) => sql.ref(`login_throttle.${column}`);
    // `now` is read from the row being inserted (`excluded`, SQLite "UPSERT" and PostgreSQL
    // "INSERT … ON CONFLICT"), never written into the SQL: one statement text for every call, so
    // it is parsed and planned once (the statement cache) instead of at every login.
    const nowRef = sql.ref('excluded.window_started_at');
    const fresh = sql`(${t('window_started_at')} + ${sql.lit(W)} <= ${nowRef} and ${t('blocked_until')} <= ${nowRef})`;
    const next = sql<number>`(case when ${fresh} then 1 else ${t('failures')} + 1 end)`;
    return db
      .insertInto('login_throttle')
      .values({ key, failures: 1, window_started_at: now, blocked_until: limit <= 1 ? now + W : 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: next,
          window_started_at: sql<number>`(case when ${fresh} then ${nowRef} else ${t('window_started_at')} end)`,
          blocked_until: sql<number>`(case when ${next} = ${sql.lit(limit)} then ${nowRef} + ${sql.lit(W)} when ${fresh} then 0 else ${t('blocked_until')} end)`,
        }),
      )
      .returning(['failures', 'window_started_at', 'blocked_until'])
      .executeTakeFirstOrThrow();
  }

  /**
   * Takes one attempt back (it succeeded, or was refused and never verified). The usual case, a
   * key holding just this attempt, ends in one statement: a count of one goes back to none, which
   * records nothing (the table holds recent failures only; a person who never mistypes leaves no
   * row behind), so the row is deleted. A key at no attempts is dropped once no block runs. Only
   * when nothing was deleted is there a count of two or more to lower, which also lifts the block
   * once the count is back under the limit.
   */
  async function uncount(key: string, limit: number): Promise<void> {
    const dropped = await db
      .deleteFrom('login_throttle')
      .where('key', '=', key)
      .where((eb) =>
        eb.or([
          eb('failures', '=', 1),
          eb.and([eb('failures', '<=', 0), eb('blocked_until', '<=', clock.now())]),
        ]),
      )
      .executeTakeFirst();
    if (Number(dropped.numDeletedRows) > 0) return;
    await db
      .updateTable('login_throttle')
      .set({
        failures: sql<number>`failures - 1`,
        blocked_until: sql<number>`(case when failures - 1 < ${sql.lit(limit)} then 0 else blocked_until end)`,
      })
      .where('key', '=', key)
      .where('failures', '>', 1)
      .execute();
  }

  function throttled(
    row: { window_started_at: number; blocked_until: number },
    code: 'login_throttled' | 'rate_limited',
  ) {
    const until = Math.max(Number(row.blocked_until), Number(row.window_started_at) + W);
    const minutes = Math.max(1, Math.ceil((until - clock.now()) / 60_000));
    return new AppError(code, { params: { minutes } });
  }

  /**
   * Counts a login attempt under every key before the password is verified.
   * @throws AppError('login_throttled') with the minutes left; the attempt is then not counted.
   */
  async function begin(email: string, ip: string, trustedDevice: boolean): Promise<Attempt> {
    const counted: Key[] = [];
    for (const k of keysFor(email, ip, settings, trustedDevice)) {
      const row = await count(k.key, k.limit);
      counted.push(k);
      if (k.enforced && Number(row.failures) > k.limit) {
        for (const c of counted) await uncount(c.key, c.limit);
        throw throttled(row, 'login_throttled');
      }
    }
    return { email, ip, trustedDevice };
  }

  /**
   * The password was right: this address's count for the account is cleared, and the attempt is
   * taken back from the address and account counts (they count failures only).
   */
  async function succeeded(attempt: Attempt): Promise<void> {
    const [pair, ...rest] = keysFor(attempt.email, attempt.ip, settings, false);
    await db.deleteFrom('login_throttle').where('key', '=', pair!.key).execute();
    for (const k of rest) await uncount(k.key, k.limit);
  }

  /**
   * Runs the password check of a counted attempt. A check that never ran because the server was
   * busy (AppError 'server_busy' from the hash queue) is taken back: a person retrying during an
   * overload must not lock themselves out with attempts that were never verified.
   */
  async function verifyCounted<T>(attempt: Attempt, verify: () => Promise<T>): Promise<T> {
    try {
      return await verify();
    } catch (err) {
      if (err instanceof AppError && err.code === 'server_busy') {
        for (const k of keysFor(attempt.email, attempt.ip, settings, attempt.trustedDevice))
          await uncount(k.key, k.limit);
      }
      throw err;
    }
  }

  /**
   * Counts a sign-up from `ip` before its password is hashed.
   * @throws AppError('rate_limited') past the limit; the refused sign-up is then not counted.
   */
  async function beginSignUp(ip: string): Promise<void> {
    const key = `signup:${ip}`;
    const row = await count(key, settings.signupsPerIp);
    if (Number(row.failures) > settings.signupsPerIp) {
      await uncount(key, settings.signupsPerIp);
      throw throttled(row, 'rate_limited');
    }
  }

  async function purgeExpired(): Promise<void> {
    const now = clock.now();
    await db
      .deleteFrom('login_throttle')
      .where('blocked_until', '<', now)
      .where('window_started_at', '<', now - W)
      .execute();
  }

  return { begin, verifyCounted, succeeded, beginSignUp, purgeExpired };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
