/**
 * How often recovery links may be asked for (OWASP Forgot Password Cheat Sheet: "implement
 * protections against excessive automated submissions"; ASVS V2.2.1). Each limit is a fixed window
 * counted in the database by one upsert that returns the new count, so every instance shares it
 * and parallel requests cannot all pass; a refused request is taken back. The keys never depend
 * on whether an account exists, so the limit answers the same for every address.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';
import { purgeOldTokens } from './account-tokens.repo.ts';

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Confirmation mail resent from the account page: once a minute, five an hour, per account. */
export const resendLimits = (accountId: string): Limit[] => [
  { key: `resend_min:${accountId}`, max: 1, windowMs: MINUTE },
  { key: `resend_hour:${accountId}`, max: 5, windowMs: HOUR },
];

/** Email change links: the same pace as resends, per account. */
export const changeEmailLimits = (accountId: string): Limit[] => [
  { key: `change_email_min:${accountId}`, max: 1, windowMs: MINUTE },
  { key: `change_email_hour:${accountId}`, max: 5, windowMs: HOUR },
];

/** Forgot password: ten an hour from one address, three an hour for one email (known or not). */
export const forgotLimits = (ip: string, emailKey: string): Limit[] => [
  { key: `forgot_ip:${ip}`, max: 10, windowMs: HOUR },
  { key: `forgot_email:${emailKey}`, max: 3, windowMs: HOUR },
];

export function createRecoveryLimits(db: Kysely<Database>, clock: Clock) {
  async function hit(limit: Limit): Promise<{ hits: number; window_started_at: number }> {
    const now = clock.now();
    const ref = (column: string) => sql.ref(`recovery_limits.${column}`);
    // `now` comes from the row being inserted (`excluded`), not the SQL text: one text per window
    // length, prepared once (login-throttle.ts says why).
    const nowRef = sql.ref('excluded.window_started_at');
    const fresh = sql`(${ref('window_started_at')} + ${sql.lit(limit.windowMs)} <= ${nowRef})`;
    const row = await db
      .insertInto('recovery_limits')
      .values({ key: limit.key, hits: 1, window_started_at: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`(case when ${fresh} then 1 else ${ref('hits')} + 1 end)`,
          window_started_at: sql<number>`(case when ${fresh} then ${nowRef} else ${ref('window_started_at')} end)`,
        }),
      )
      .returning(['hits', 'window_started_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), window_started_at: Number(row.window_started_at) };
  }

  /**
   * Counts one request under every limit.
   * @throws AppError('rate_limited') with the minutes until the tightest window that is full ends.
   */
  async function take(limits: Limit[]): Promise<void> {
    let waitMs = 0;
    for (const limit of limits) {
      const row = await hit(limit);
      if (row.hits > limit.max)
        waitMs = Math.max(waitMs, row.window_started_at + limit.windowMs - clock.now());
    }
    if (waitMs > 0) {
      // A refused request is taken back, so pressing again too soon does not use up the hour.
      await db
        .updateTable('recovery_limits')
        .set({ hits: sql<number>`hits - 1` })
        .where(
          'key',
          'in',
          limits.map((l) => l.key),
        )
        .execute();
    }
    if (waitMs > 0)
      throw new AppError('rate_limited', { params: { minutes: Math.max(1, Math.ceil(waitMs / MINUTE)) } });
  }

  /** Housekeeping: windows that are over, and links past their expiry (an unknown link answers as an expired one). */
  async function purgeExpired(): Promise<void> {
    const now = clock.now();
    await db
      .deleteFrom('recovery_limits')
      .where('window_started_at', '<', now - HOUR)
      .execute();
    await purgeOldTokens(db, now);
  }

  return { take, purgeExpired };
}

export type RecoveryLimits = ReturnType<typeof createRecoveryLimits>;
