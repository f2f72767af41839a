/**
 * Fixed-window counters in the database, shared by every yeon process on it (the same shape as
 * modules/apps/api-quota.ts, for subjects that are not apps: client addresses).
 *
 * `takeHit` is one upsert that inserts the window's row with 1 or adds 1 to it and returns the new
 * count (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL); the database
 * serialises concurrent upserts on the row, so a burst cannot all read the same count. A hit is
 * counted before the work it guards, so at most `limit` of them run per window whatever the
 * concurrency; `giveBack` returns a hit whose work turned out not to need counting.
 *
 * The first hit of a subject in a window deletes every row of the rule from earlier windows, so
 * the table holds about one window's subjects per rule, not every address ever seen.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface WindowRule {
  /** the limit's name in the table */
  rule: string;
  /** hits allowed per window and subject */
  limit: number;
  windowMs: number;
}

/** A refusal says how long until the window ends (the Retry-After of RFC 6585 §4). */
export type WindowDecision =
  | { allowed: true; windowStart: number }
  | { allowed: false; retryAfterSeconds: number };

export async function takeHit(
  db: Kysely<Database>,
  rule: WindowRule,
  subject: string,
  now: number,
): Promise<WindowDecision> {
  const windowStart = now - (now % rule.windowMs);
  const row = await db
    .insertInto('abuse_windows')
    .values({ rule: rule.rule, subject, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc
        .columns(['rule', 'subject', 'window_start'])
        .doUpdateSet((eb) => ({ hits: eb('abuse_windows.hits', '+', 1) })),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  const hits = Number(row.hits);
  if (hits === 1) {
    await db
      .deleteFrom('abuse_windows')
      .where('rule', '=', rule.rule)
      .where('window_start', '<', windowStart)
      .execute();
  }
  if (hits <= rule.limit) return { allowed: true, windowStart };
  return { allowed: false, retryAfterSeconds: Math.ceil((windowStart + rule.windowMs - now) / 1000) };
}

/** Takes back one hit of the window it was counted in (a no-op once that window was swept). */
export async function giveBack(
  db: Kysely<Database>,
  rule: WindowRule,
  subject: string,
  windowStart: number,
): Promise<void> {
  await db
    .updateTable('abuse_windows')
    .set((eb) => ({ hits: eb('hits', '-', 1) }))
    .where('rule', '=', rule.rule)
    .where('subject', '=', subject)
    .where('window_start', '=', windowStart)
    .where('hits', '>', 0)
    .execute();
}
