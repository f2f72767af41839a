/**
 * Recording delivery attempts in batches (group commit): attempts that finish while a batch is
 * being written are written together in the next transaction, so under a backlog one commit
 * (one fsync on SQLite, one round trip of BEGIN/COMMIT on PostgreSQL) serves many deliveries;
 * a lone attempt is written at once, as before.
 *
 * At-least-once holds: a delivery's promise resolves only after the transaction holding its
 * attempt row and its new state has committed. A process that dies before that leaves the row
 * under its lease; when the lease runs out the notification is due again and sent again
 * (receivers deduplicate on `webhook-id`, docs/notifications.md). Each transaction writes a
 * whole batch or nothing, so a failed try leaves no half-recorded attempt.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import type { DeliveryResult } from '../outbound/http-client.ts';
import * as repo from './delivery.repo.ts';
import type { Outcome } from './delivery.ts';

export interface AttemptRecord {
  row: repo.NotificationRow;
  started: number;
  now: number;
  result: DeliveryResult;
  outcome: Outcome;
}

export interface RecorderDeps {
  db: Kysely<Database>;
  owner: string;
  autoPauseMs: number;
  /** most attempts per transaction; default 64 */
  maxBatch?: number;
  /** pauses between tries of a batch before it is left to the lease */
  retriesMs?: readonly number[];
  warn(obj: object, msg?: string): void;
}

interface Waiting {
  record: AttemptRecord;
  resolve(paused: PausedReason | undefined): void;
  reject(err: unknown): void;
}

/** Why an app's callback was paused by this attempt, for the log. */
export type PausedReason = 'gone' | 'failing';

const DEFAULT_RETRIES_MS = [200, 1000, 3000];

/**
 * Which successes of a batch must write the app's health, and when. A success followed, in the
 * same batch, by another success of its app before any failure of it is overwritten by that one
 * (both in one transaction): not written. An app's last success with no failure of the app after
 * it is written once at the end of the batch, together with the other apps' (`trailing`). The
 * rest (`inline`: a success a later failure of its app builds on) are written in order.
 */
function successHealth(batch: readonly AttemptRecord[]): {
  inline: Set<number>;
  trailing: Array<{ appId: number; now: number }>;
} {
  const inline = new Set<number>();
  const trailing = new Map<number, number>();
  /** the kind of the next attempt of each app, walking back from the end */
  const nextOfApp = new Map<number, Outcome['kind']>();
  const failsLater = new Set<number>();
  for (let i = batch.length - 1; i >= 0; i--) {
    const { row, outcome, now } = batch[i]!;
    const appId = row.app_id;
    if (outcome.kind !== 'delivered') failsLater.add(appId);
    else if (!failsLater.has(appId)) {
      if (!trailing.has(appId)) trailing.set(appId, now);
    } else if (nextOfApp.get(appId) !== 'delivered') inline.add(i);
    nextOfApp.set(appId, outcome.kind);
  }
  return { inline, trailing: [...trailing].map(([appId, now]) => ({ appId, now })) };
}

export function createRecorder(deps: RecorderDeps) {
  const maxBatch = Math.max(1, deps.maxBatch ?? 64);
  const retriesMs = deps.retriesMs ?? DEFAULT_RETRIES_MS;
  let queue: Waiting[] = [];
  let draining = false;

  async function write(batch: AttemptRecord[]): Promise<Array<PausedReason | undefined>> {
    return deps.db.transaction().execute(async (trx) => {
      // Written first: on SQLite a transaction that starts with a write waits for the lock
      // instead of failing on a stale read snapshot.
      await repo.insertAttempts(
        trx,
        batch.map(({ row, started, result }) => ({
          id: newId('att_'),
          notification_id: row.id,
          app_id: row.app_id,
          attempt: row.attempts + 1,
          started_at: started,
          latency_ms: Math.max(0, Math.round(result.latencyMs)),
          status_code: result.status ?? null,
          error: result.ok ? null : String(result.error ?? 'failed'),
          detail: result.ok ? null : (result.detail?.slice(0, 500) ?? null),
          response_excerpt: result.responseExcerpt || null,
          remote_address: result.remoteAddress ?? null,
          worker: deps.owner,
        })),
      );
      const paused: Array<PausedReason | undefined> = [];
      const { inline, trailing } = successHealth(batch);
      // Successes without a receipt are marked together below; each touches only its own row.
      const delivered: Array<{ id: string; now: number }> = [];
      // In completion order, so an app's health ends as the last attempt left it.
      for (const [i, { row, now, outcome }] of batch.entries()) {
        if (outcome.kind === 'delivered') {
          if (outcome.receipt) await repo.markDelivered(trx, row.id, now, outcome.receipt);
          else delivered.push({ id: row.id, now });
          if (inline.has(i)) await repo.noteSuccess(trx, row.app_id, now);
          paused.push(undefined);
          continue;
        }
        await repo.markFailedAttempt(trx, {
          id: row.id,
          owner: deps.owner,
          now,
          error: outcome.error,
          nextAttemptAt: outcome.kind === 'retry' ? outcome.nextAttemptAt : undefined,
        });
        if (outcome.gone) {
          await repo.pauseAppCallback(trx, row.app_id, 'gone', now);
          paused.push('gone');
        } else {
          const auto = await repo.noteFailure(trx, row.app_id, now, deps.autoPauseMs);
          paused.push(auto ? 'failing' : undefined);
        }
      }
      await repo.markDeliveredMany(trx, delivered);
      // Last: no failure of these apps follows in this batch, so nothing overwrites them.
      await repo.noteSuccessMany(trx, trailing);
      return paused;
    });
  }

  /**
   * Tries hard (a busy SQLite file, a PostgreSQL failover), since an unrecorded delivery is sent
   * again after the lease. A batch that keeps failing is split, so one bad attempt cannot keep
   * the others of its batch unrecorded.
   */
  async function writeWithRetry(batch: Waiting[]): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        const paused = await write(batch.map((w) => w.record));
        for (const [j, w] of batch.entries()) w.resolve(paused[j]);
        return;
      } catch (err) {
        if (i >= retriesMs.length) {
          if (batch.length > 1) {
            for (const w of batch) await writeWithRetry([w]);
            return;
          }
          for (const w of batch) w.reject(err);
          return;
        }
        deps.warn({ err, attempts: batch.length }, 'recording deliveries failed; trying again');
        await new Promise((r) => setTimeout(r, retriesMs[i]));
      }
    }
  }

  async function drain(): Promise<void> {
    // Let attempts that finish in this same turn of the event loop join the first batch.
    await new Promise((r) => setImmediate(r));
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      await writeWithRetry(batch);
    }
    // Nothing awaits between the empty check and this: a record() from now on starts a drain.
    draining = false;
  }

  return {
    /** Resolves once the attempt is committed (with the reason when it paused the callback). */
    record(record: AttemptRecord): Promise<PausedReason | undefined> {
      return new Promise((resolve, reject) => {
        queue.push({ record, resolve, reject });
        if (!draining) {
          draining = true;
          void drain();
        }
      });
    },
  };
}
