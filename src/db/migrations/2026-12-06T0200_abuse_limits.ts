/**
 * Abuse limits counted in the database, so that every yeon process on it shares one count (an
 * in-memory counter would multiply each limit by the number of instances; OWASP ASVS V11.1.4).
 *
 * - `abuse_windows`: fixed-window counters, one row per (limit, subject, window), bumped by a single
 *   upsert; e.g. new OAuth authorization interactions per client address. Rows of past windows
 *   are deleted by the first hit of a later window (modules/abuse/fixed-window.ts).
 * - `abuse_cooldowns`: the last time a subject did a rate-limited thing, e.g. an app's "Send test
 *   notification"; one row per (limit, subject), rows older than the cooldown are deleted as new
 *   ones are taken.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('abuse_windows')
    // which limit, e.g. 'authorize_ip'
    .addColumn('rule', 'text', (c) => c.notNull())
    // what is counted, e.g. a client address or its IPv6 /64
    .addColumn('subject', 'text', (c) => c.notNull())
    // epoch ms at which the fixed window starts
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('abuse_windows_pk', ['rule', 'subject', 'window_start'])
    .execute();
  // the sweep of past windows: by rule and window, whatever the subject
  await db.schema
    .createIndex('abuse_windows_rule_window_idx')
    .on('abuse_windows')
    .columns(['rule', 'window_start'])
    .execute();
  await db.schema
    .createTable('abuse_cooldowns')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // epoch ms of the last allowed use
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('abuse_cooldowns_pk', ['rule', 'subject'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('abuse_cooldowns').execute();
  await db.schema.dropTable('abuse_windows').execute();
}
