/**
 * The notification dispatcher (docs/notifications.md): claims
 * due outbox rows under a lease, sends each one, records the attempt, and marks it delivered,
 * reschedules it, or fails it. Runs inside `yeon serve` and alone as `yeon worker`; any number
 * of dispatchers may share one database.
 *
 * Guarantees, whichever moment a process dies at:
 * - at-least-once: a row leaves `pending` only after a recorded 2xx or after its last attempt;
 *   a dispatcher killed at any point leaves its rows leased, and they are due again when the
 *   lease (longer than one attempt's timeout, see config) runs out. Receivers deduplicate on
 *   `webhook-id`, which is the notification id on every attempt.
 * - no two live dispatchers send the same attempt (delivery.repo.ts `claimDue`).
 * - at most `concurrency` deliveries per dispatcher and `appConcurrency` per app across all
 *   dispatchers, so a receiver that hangs until the timeout only holds its own app's slots.
 *
 * `start()` polls every `pollMs`, refills freed slots (see `refillSoon`) and claims when poked; `tick()` claims once and waits
 * for those deliveries (tests, `yeon worker --once`); `stop()` stops claiming and waits for the
 * deliveries in flight (each bounded by the callback timeout).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { NotifyConfig } from '../../config/load-config.ts';
import type { DbKind } from '../../db/create-db.ts';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { ConnectionPools } from '../outbound/connection-pools.ts';
import {
  type DeliverOptions,
  type DeliveryResult,
  deliverOnce,
  type OutboundRequest,
} from '../outbound/http-client.ts';
import * as repo from './delivery.repo.ts';
import { buildRequest, type DeliveryTarget, decideOutcome, loadTargets, type Outcome } from './delivery.ts';
import { createRecorder } from './delivery-records.ts';

export interface DispatcherLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DispatcherDeps {
  db: Kysely<Database>;
  dbKind: DbKind;
  clock: Clock;
  config: NotifyConfig;
  /** outbound rules: SSRF allow-list, timeout, bound source address */
  outbound: Omit<DeliverOptions, 'maxResponseBytes' | 'pools'>;
  deliver?: (request: OutboundRequest, options: DeliverOptions) => Promise<DeliveryResult>;
  logger?: DispatcherLogger;
  /** jitter source; tests pin it */
  random?: () => number;
  /** a name for this dispatcher in leases and the attempt log */
  owner?: string;
}

export interface TickResult {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

/** Longest a freed slot waits for others before it is refilled alone (see `refillSoon`). */
const REFILL_WAIT_MS = 5;

const silent: DispatcherLogger = { info() {}, warn() {}, error() {} };

export function createDispatcher(deps: DispatcherDeps) {
  const { db, dbKind, clock, config } = deps;
  const deliver = deps.deliver ?? deliverOnce;
  const log = deps.logger ?? silent;
  const owner = deps.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let stopping = false;
  const inFlight = new Set<Promise<Outcome['kind'] | 'released'>>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  /** A poke that came while the loop was claiming: claim again instead of sleeping a whole poll. */
  let poked = false;
  let refillTimer: NodeJS.Timeout | undefined;
  const refillBatch = Math.max(1, Math.floor(config.concurrency / 4));
  // Keep-alive sockets per checked receiver address, shared by this dispatcher's deliveries
  // (at most `concurrency` at once, so no pool needs more sockets than that).
  const pools = new ConnectionPools({ connections: config.concurrency });
  const outbound: DeliverOptions = { ...deps.outbound, pools };
  // Attempts are committed in batches (delivery-records.ts says why at-least-once holds).
  const recorder = createRecorder({
    db,
    owner,
    autoPauseMs: config.autoPauseMs,
    warn: (obj, msg) => log.warn(obj, msg),
  });

  /**
   * A slot freed. With a quarter of the slots free, claim at once; with fewer, wait up to
   * REFILL_WAIT_MS for more to free up, so that under a backlog one claim (four statements)
   * serves several deliveries instead of one each. A slot never idles longer than
   * that, so receivers that hang keep only their own slots, as before.
   */
  function refillSoon() {
    if (config.concurrency - inFlight.size >= refillBatch) {
      clearTimeout(refillTimer);
      refillTimer = undefined;
      wake?.();
      return;
    }
    refillTimer ??= setTimeout(() => {
      refillTimer = undefined;
      wake?.();
    }, REFILL_WAIT_MS);
  }

  /**
   * One delivery, start to record. `targetsOfClaim` holds the settings of the claim's apps, read
   * right after the claim (once per claim, not once per row or app), so a key rotation or URL fix
   * applies from the next claim on, as before.
   */
  async function deliverRow(
    row: repo.NotificationRow,
    targetsOfClaim: Promise<Map<number, DeliveryTarget>>,
  ): Promise<Outcome['kind'] | 'released'> {
    const target = (await targetsOfClaim).get(row.app_id);
    const started = clock.now();
    // Shutting down: a row not yet sent goes back at once (stop() releases it with the rest).
    if (!target?.active || stopping) {
      await repo.releaseLease(db, row.id, owner);
      return 'released';
    }
    let result: DeliveryResult;
    try {
      result = await deliver(buildRequest(row, target, started), outbound);
    } catch (err) {
      result = {
        ok: false,
        latencyMs: 0,
        error: 'request_error',
        detail: (err as Error).message.slice(0, 200),
      };
    }
    const now = clock.now();
    const outcome = decideOutcome({
      row,
      result,
      now,
      schedule: config.schedule,
      jitter: config.jitter,
      random: deps.random,
    });
    const paused = await recorder.record({ row, started, now, result, outcome });
    if (paused) log.warn({ appId: row.app_id, reason: paused }, 'callback paused');
    return outcome.kind;
  }

  function launch(row: repo.NotificationRow, targets: Promise<Map<number, DeliveryTarget>>) {
    const p = deliverRow(row, targets).catch((err: unknown) => {
      log.error(
        { err, notificationId: row.id },
        'delivery could not be recorded; it is retried after the lease',
      );
      return 'released' as const;
    });
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      refillSoon();
    });
    return p;
  }

  /** Claims what fits into the free slots and starts those deliveries. */
  async function claimAndLaunch() {
    const rows = await repo.claimDue(db, dbKind, {
      now: clock.now(),
      owner,
      leaseMs: config.leaseMs,
      limit: config.concurrency - inFlight.size,
      appConcurrency: config.appConcurrency,
    });
    if (rows.length === 0) return [];
    // Every app of this claim read together (three statements, not three per app), and only for
    // this claim: the next one reads them again, so console changes apply from there on.
    const targets = loadTargets(
      db,
      rows.map((row) => row.app_id),
      clock.now(),
    );
    // Each delivery awaits it; this only keeps a failed read from being reported as unhandled
    // before they do (a failed read leaves the rows to their lease, like before).
    targets.catch(() => {});
    return rows.map((row) => launch(row, targets));
  }

  /** One claim, then wait for exactly those deliveries. */
  async function tick(): Promise<TickResult> {
    const kinds = await Promise.all(await claimAndLaunch());
    const count = (k: string) => kinds.filter((x) => x === k).length;
    return {
      claimed: kinds.length,
      delivered: count('delivered'),
      retried: count('retry'),
      failed: count('failed'),
    };
  }

  function sleep(ms: number): Promise<void> {
    if (poked) return Promise.resolve();
    return new Promise((resolve) => {
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      timer = setTimeout(wake, ms);
    });
  }

  async function run(): Promise<void> {
    while (running) {
      // Pokes from here on ask for another claim: this one may not see their rows.
      poked = false;
      try {
        await claimAndLaunch();
      } catch (err) {
        log.error({ err }, 'claiming notifications failed');
      }
      if (!running) break;
      // A claim takes every row it may take now (all apps with room, delivery.repo.ts), so asking
      // again at once would find nothing: wait for a freed slot, a poke or the poll.
      await sleep(config.pollMs);
    }
  }

  return {
    owner,
    start(): void {
      if (running) return;
      running = true;
      stopping = false;
      loop = run();
      log.info(
        { owner, concurrency: config.concurrency, appConcurrency: config.appConcurrency },
        'dispatcher started',
      );
    },
    /** Stops claiming, then waits for deliveries in flight (each bounded by the callback timeout). */
    async stop(): Promise<void> {
      running = false;
      stopping = true;
      wake?.();
      await loop;
      await Promise.allSettled([...inFlight]);
      clearTimeout(refillTimer);
      await pools.close();
      // Rows still leased to this dispatcher (not sent, or sent but not recorded) are due again
      // now, for another instance, rather than when the lease runs out.
      try {
        const released = await repo.releaseLeasesOf(db, owner);
        if (released) log.info({ owner, released }, 'released claimed notifications');
      } catch (err) {
        log.warn({ err }, 'could not release claimed notifications; they return when the lease ends');
      }
    },
    tick,
    /**
     * Claim now (outbox-signal.ts: right after an unlink committed in this process). A poke that
     * arrives mid-claim is kept, so the loop claims again rather than sleeping a whole poll.
     */
    poke(): void {
      poked = true;
      wake?.();
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
