/**
 * A cooldown per subject in the database, shared by every yeon process on it: once allowed, the
 * subject is refused until `cooldownMs` has passed (e.g. one test notification per app every 30 s).
 *
 * One statement decides: an upsert whose update only happens when the stored use is old enough
 * (INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING, on SQLite and PostgreSQL). A row comes
 * back only when the use was allowed, so two racing requests cannot both pass.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export type CooldownDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function takeCooldown(
  db: Kysely<Database>,
  rule: string,
  subject: string,
  cooldownMs: number,
  now: number,
): Promise<CooldownDecision> {
  const taken = await db
    .insertInto('abuse_cooldowns')
    .values({ rule, subject, last_at: now })
    .onConflict((oc) =>
      oc
        .columns(['rule', 'subject'])
        .doUpdateSet({ last_at: now })
        .where('abuse_cooldowns.last_at', '<=', now - cooldownMs),
    )
    .returning('last_at')
    .executeTakeFirst();
  if (taken) {
    // Rows whose cooldown is over mean nothing any more: the table holds only cooling subjects.
    await db
      .deleteFrom('abuse_cooldowns')
      .where('rule', '=', rule)
      .where('last_at', '<=', now - cooldownMs)
      .execute();
    return { allowed: true };
  }
  const row = await db
    .selectFrom('abuse_cooldowns')
    .select('last_at')
    .where('rule', '=', rule)
    .where('subject', '=', subject)
    .executeTakeFirst();
  const until = Number(row?.last_at ?? now) + cooldownMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}
