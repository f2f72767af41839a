/**
 * The numbers of an app's dashboard (console overview): people linked now, links and unlinks on
 * each of the last 7 calendar days, and how the app's unlink callback answered over those days.
 *
 * Days are calendar days in the viewer's IANA time zone (the console's `yeon_tz` cookie, else the
 * locale's default; an unknown zone falls back to UTC). Their boundaries are computed here and the
 * counting is plain `sum(case when … then 1 else 0 end)` over integer millisecond columns, so one
 * query works unchanged on SQLite and PostgreSQL without either database's time-zone functions.
 *
 * Deliveries count every HTTP attempt of a real notification (console test notifications are
 * left out): an attempt succeeded when it recorded no error (a 2xx, see
 * src/modules/notifications/dispatcher.ts). p95 latency is the nearest-rank 95th percentile of all
 * attempts' latency_ms, failed ones included (a timeout is what a slow receiver costs); it is read
 * with ORDER BY … LIMIT 1 OFFSET k, which both databases run, instead of a percentile function only
 * PostgreSQL has.
 */
import { sql } from 'kysely';
import type { AppsContext } from './apps.context.ts';
import type { Actor } from './apps.types.ts';

export const DASHBOARD_DAYS = 7;

export interface DashboardDay {
  /** the calendar date in the time zone, YYYY-MM-DD */
  date: string;
  /** epoch ms of that date's midnight in the time zone */
  starts_at: number;
  links: number;
  unlinks: number;
}

export interface AppDashboard {
  time_zone: string;
  linked_now: number;
  /** oldest first, the last one is today */
  days: DashboardDay[];
  deliveries: {
    attempts: number;
    succeeded: number;
    /** succeeded / attempts, or null without attempts */
    success_rate: number | null;
    p95_latency_ms: number | null;
  };
}

function knownZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The calendar date (y, m, d) `at` falls on in `timeZone`. */
function dateIn(at: number, timeZone: string): [number, number, number] {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [n('year'), n('month'), n('day')];
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** Epoch ms of midnight starting the civil date (y, m, d) in `timeZone` (m may overflow, as in Date.UTC). */
function midnightIn(y: number, m: number, d: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d);
  // Twice: the offset at the first guess may differ from the one at midnight across a DST change.
  const guess = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(guess, timeZone);
}

function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function createDashboardService(ctx: AppsContext) {
  const { db, clock } = ctx;

  /**
   * The dashboard of one app for any member (read access).
   * @throws AppError('not_found' | 'forbidden')
   */
  async function getAppDashboard(
    actor: Actor,
    appId: number,
    options: { timeZone: string },
  ): Promise<AppDashboard> {
    await ctx.access(actor, appId, 'read');
    const timeZone = knownZone(options.timeZone);
    const [y, m, d] = dateIn(clock.now(), timeZone);
    const bounds = Array.from({ length: DASHBOARD_DAYS + 1 }, (_, i) =>
      midnightIn(y, m, d - (DASHBOARD_DAYS - 1) + i, timeZone),
    );
    const from = bounds[0]!;
    const to = bounds[DASHBOARD_DAYS]!;
    const perDay = (column: 'connected_at' | 'unlinked_at', i: number) =>
      sql<
        string | number | null
      >`sum(case when ${sql.ref(column)} >= ${bounds[i]!} and ${sql.ref(column)} < ${bounds[i + 1]!} then 1 else 0 end)`;

    const [linked, days, totals] = await Promise.all([
      db
        .selectFrom('connections')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('app_id', '=', appId)
        .where('status', '=', 'linked')
        .executeTakeFirst(),
      db
        .selectFrom('connections')
        .select(
          bounds
            .slice(0, DASHBOARD_DAYS)
            .flatMap((_, i) => [perDay('connected_at', i).as(`l${i}`), perDay('unlinked_at', i).as(`u${i}`)]),
        )
        .where('app_id', '=', appId)
        .where((eb) =>
          eb.or([
            eb.and([eb('connected_at', '>=', from), eb('connected_at', '<', to)]),
            eb.and([eb('unlinked_at', '>=', from), eb('unlinked_at', '<', to)]),
          ]),
        )
        .executeTakeFirst(),
      db
        .selectFrom('notification_attempts as a')
        .innerJoin('notifications as n', 'n.id', 'a.notification_id')
        .select([
          (eb) => eb.fn.countAll<string | number>().as('attempts'),
          sql<string | number | null>`sum(case when a.error is null then 1 else 0 end)`.as('succeeded'),
        ])
        .where('a.app_id', '=', appId)
        .where('n.is_test', '=', 0)
        .where('a.started_at', '>=', from)
        .where('a.started_at', '<', to)
        .executeTakeFirst(),
    ]);

    const attempts = Number(totals?.attempts ?? 0);
    const succeeded = Number(totals?.succeeded ?? 0);
    let p95: number | null = null;
    if (attempts > 0) {
      // Nearest rank: the smallest value with at least 95 % of the attempts at or below it.
      const rank = Math.ceil(0.95 * attempts);
      const row = await db
        .selectFrom('notification_attempts as a')
        .innerJoin('notifications as n', 'n.id', 'a.notification_id')
        .select('a.latency_ms')
        .where('a.app_id', '=', appId)
        .where('n.is_test', '=', 0)
        .where('a.started_at', '>=', from)
        .where('a.started_at', '<', to)
        .orderBy('a.latency_ms')
        .limit(1)
        .offset(rank - 1)
        .executeTakeFirst();
      p95 = row ? Number(row.latency_ms) : null;
    }

    const counts = (days ?? {}) as Record<string, string | number | null>;
    return {
      time_zone: timeZone,
      linked_now: Number(linked?.n ?? 0),
      days: bounds.slice(0, DASHBOARD_DAYS).map((starts_at, i) => ({
        // The wall-clock date of a midnight is its UTC date once shifted by the zone's offset.
        date: isoDate(starts_at + offsetAt(starts_at, timeZone)),
        starts_at,
        links: Number(counts[`l${i}`] ?? 0),
        unlinks: Number(counts[`u${i}`] ?? 0),
      })),
      deliveries: {
        attempts,
        succeeded,
        success_rate: attempts > 0 ? succeeded / attempts : null,
        p95_latency_ms: p95,
      },
    };
  }

  return { getAppDashboard };
}
