/**
 * Gauges an operator of several instances alerts on, read at scrape time: the notification queue
 * (how many wait, and how late the most overdue one is), the mail queue, and this instance's
 * PostgreSQL pool. The queue gauges describe the shared database, so every instance reports the
 * same values; alert on max() across instances, not sum() (deploy/prometheus/alerts.yml). Which
 * instance a series came from is Prometheus's `instance` label, added by the scrape; yeon adds
 * none of its own.
 *
 * One query per scrape, three subselects that each read only pending rows through the partial
 * indexes on `status = 'pending'` (notifications_pending_app_idx, mail_outbox_due_idx).
 */
import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import { type Db, poolStats } from '../../db/create-db.ts';

interface QueueRow {
  notifications_pending: number | string | null;
  notifications_oldest_due: number | string | null;
  mail_pending: number | string | null;
}

export function fleetGauges(registry: Registry, db: Db, now: () => number) {
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  const notifyDepth = gauge(
    'yeon_notifications_pending',
    'Notifications not yet delivered (shared database)',
  );
  const notifyAge = gauge(
    'yeon_notifications_oldest_due_seconds',
    'Seconds since the most overdue notification became due and was not delivered; 0 when none is (shared database). Rows waiting for a retry time or for a paused callback are not overdue.',
  );
  const mailDepth = gauge('yeon_mail_pending', 'Mails not yet sent (shared database)');
  // SQLite has no pool: no pool series rather than a misleading 0.
  const pooled = poolStats(db) !== undefined;
  const poolGauge = (name: string, help: string) => (pooled ? gauge(name, help) : undefined);
  const poolInUse = poolGauge(
    'yeon_db_pool_in_use',
    'PostgreSQL connections of this instance running a query',
  );
  const poolIdle = poolGauge('yeon_db_pool_idle', 'PostgreSQL connections of this instance open and idle');
  const poolWaiting = poolGauge(
    'yeon_db_pool_waiting',
    'Queries of this instance waiting for a PostgreSQL connection',
  );

  /** Reads the queues (one query) and the pool; a database that does not answer leaves the last values. */
  return async function refresh(): Promise<void> {
    const pool = poolStats(db);
    if (pool) {
      poolInUse?.set(pool.inUse);
      poolIdle?.set(pool.idle);
      poolWaiting?.set(pool.waiting);
    }
    const at = now();
    // `status = 'pending'` is literal so that both databases can use the partial indexes.
    const { rows } = await sql<QueueRow>`
      select
        (select count(*) from notifications where status = 'pending') as notifications_pending,
        (select min(m.next_attempt_at) from notifications m
           where m.status = 'pending' and m.next_attempt_at <= ${at}
             and exists (select 1 from apps a where a.id = m.app_id
                         and a.unlink_callback_url is not null and a.unlink_state = 'active'))
          as notifications_oldest_due,
        (select count(*) from mail_outbox where status = 'pending') as mail_pending
    `.execute(db);
    const row = rows[0];
    if (!row) return;
    notifyDepth.set(Number(row.notifications_pending ?? 0));
    const due = row.notifications_oldest_due;
    notifyAge.set(due === null ? 0 : Math.max(0, (at - Number(due)) / 1000));
    mailDepth.set(Number(row.mail_pending ?? 0));
  };
}
