/**
 * Part 4 of the bench, unlink → callback latency, from the person's Delete All Data POST to the
 * callback's arrival at a loopback receiver, with yeon's default dispatcher settings (the
 * deliveries/s burst is burst.ts). One yeon process, one driver process (bench/load/unlink-load.ts,
 * also the receivers), in this order:
 * 1. warm-up: WARM_UP_PEOPLE × APPS sequential unlinks, not counted;
 * 2. sequential: PEOPLE_PER_RUN people one after another unlink their APPS apps, per run (p50,
 *    p99 of PEOPLE_PER_RUN × APPS samples);
 * 3. unlink burst, all receivers healthy: SESSIONS people unlink their BURST_APPS apps at once,
 *    each starting one every PACE_MS (SESSIONS × 1000 / PACE_MS unlinks/s in all: a steady rate
 *    below what yeon can take on a busy 2-core machine, so the figure is latency, not queueing);
 * 4. the same burst with 10 % of the receivers hanging (HANGING of BURST_APPS apps answer
 *    never, so each attempt holds its slot until the 3 s callback timeout; their rows retry
 *    after 5 s as in production). Only healthy receivers' samples count.
 * The healthy-only bursts run before the hanging ones, so their figure is not touched by the
 * hanging apps' retries.
 */
import type { FastifyInstance } from 'fastify';
import { createBenchApp, withServices } from '../lib/fixtures.ts';
import { freePort, type Running, runJson, startYeon } from '../lib/proc.ts';
import { type Figure, series } from '../lib/stats.ts';
import { type Ctx, RUNS } from './http-parts.ts';

/** Links per person: realistic, and every unlink's pages list the person's links. */
const APPS = 20;
/** people whose unlinks are not counted (the first requests compile code paths) */
const WARM_UP_PEOPLE = 2;
/** sequential unlinks per run: this many people, one after another, APPS unlinks each */
const PEOPLE_PER_RUN = 5;
const BURST_APPS = APPS;
/** 10 % of the burst's receivers */
const HANGING = 2;
const SESSIONS = 8;
const PACE_MS = 400;

interface Session {
  cookie: string;
  links: Array<{ appId: number; userId: number }>;
}

interface Run {
  sessions: Session[];
  paceMs?: number;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

let people = 0;

/** A person linked to `appIds` (in that order), with a browser session. */
async function linkedPerson(app: FastifyInstance, appIds: number[]): Promise<Session> {
  people += 1;
  const me = await app.services.accounts.signUp({
    email: `unlink-person-${people}@bench.invalid`,
    password: 'bench horse battery staple',
    nickname: `Unlink person ${people}`,
  });
  const links = [];
  for (const appId of appIds) {
    const linked = await app.services.connections.agree({
      accountId: me.id,
      appId,
      items: ['profile_nickname'],
    });
    links.push({ appId, userId: linked.appUserId });
  }
  const session = await app.services.sessions.start({ accountId: me.id, remember: true });
  return { cookie: `yeon_session=${session.token}`, links };
}

/** Each session starts at a different app, so the people of a burst do not queue on one app. */
function rotated<T>(xs: T[], by: number): T[] {
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

export async function benchUnlink(ctx: Ctx): Promise<Figure[]> {
  const receiverPort = await freePort();
  const hangingPort = await freePort();
  // Loopback receivers are refused unless allowed (SSRF guard); yeon serve gets the same rule.
  const env = { ...ctx.env, YEON_OUTBOUND_ALLOW: '127.0.0.1/32' };
  const healthyUrl = `http://127.0.0.1:${receiverPort}/unlink`;
  const seeded = await withServices(env, async (app) => {
    const owner = await app.services.accounts.signUp({
      email: 'unlink-dev@bench.invalid',
      password: 'bench horse battery staple',
      nickname: 'Unlink developer',
    });
    const newApps = async (label: string, count: number, urlOf: (i: number) => string) => {
      const ids: number[] = [];
      for (let i = 0; i < count; i++)
        ids.push((await createBenchApp(app, owner.id, `Bench ${label} ${i}`, urlOf(i))).app_id);
      return ids;
    };
    const sequentialApps = await newApps('Callback App', APPS, () => healthyUrl);
    const sequential: Session[] = [];
    for (let i = 0; i < WARM_UP_PEOPLE + RUNS * PEOPLE_PER_RUN; i++)
      sequential.push(await linkedPerson(app, sequentialApps));
    const healthyApps = await newApps('Burst App', BURST_APPS, () => healthyUrl);
    // The hanging apps sit among the healthy ones (every BURST_APPS / HANGING-th app).
    const step = BURST_APPS / HANGING;
    const mixedApps = await newApps('Mixed App', BURST_APPS, (i) =>
      i % step === 0 ? `http://127.0.0.1:${hangingPort}/unlink` : healthyUrl,
    );
    const hangingAppIds = mixedApps.filter((_, i) => i % step === 0);
    const burst = async (appIds: number[]) => {
      const runs: Run[] = [];
      for (let r = 0; r < RUNS; r++) {
        const sessions: Session[] = [];
        for (let s = 0; s < SESSIONS; s++)
          sessions.push(await linkedPerson(app, rotated(appIds, Math.floor((s * BURST_APPS) / SESSIONS))));
        runs.push({ sessions, paceMs: PACE_MS });
      }
      return runs;
    };
    return {
      sequential,
      healthyBursts: await burst(healthyApps),
      hangingBursts: await burst(mixedApps),
      hangingAppIds,
    };
  });
  // One driver run per person: the people of a sequential run go one after another.
  const alone = (session: Session): Run => ({ sessions: [session] });
  const warmUp = seeded.sequential.slice(0, WARM_UP_PEOPLE).map(alone);
  const sequentialRuns = seeded.sequential.slice(WARM_UP_PEOPLE).map(alone);
  let yeon: Running | undefined;
  try {
    yeon = await startYeon(env);
    const out = await runJson<{ runs: number[][]; hangingAttempts: number }>(
      'bench/load/unlink-load.ts',
      {
        url: yeon.url,
        receiverPort,
        hangingPort,
        hangingAppIds: seeded.hangingAppIds,
        runs: [...warmUp, ...sequentialRuns, ...seeded.healthyBursts, ...seeded.hangingBursts],
      },
      { timeoutMs: 300_000 },
    );
    if (out.hangingAttempts === 0) throw new Error('no attempt reached the hanging receiver');
    const measured = out.runs.slice(WARM_UP_PEOPLE);
    const seqRuns = Array.from({ length: RUNS }, (_, r) =>
      measured.slice(r * PEOPLE_PER_RUN, (r + 1) * PEOPLE_PER_RUN).flat(),
    );
    const bursts = measured.slice(RUNS * PEOPLE_PER_RUN);
    const healthyRuns = bursts.slice(0, RUNS);
    const hangingRuns = bursts.slice(RUNS);
    const p50 = series(seqRuns.map((r) => percentile(r, 50)));
    const p99 = series(seqRuns.map((r) => percentile(r, 99)));
    const healthyP99 = series(healthyRuns.map((r) => percentile(r, 99)));
    const hangingP99 = series(hangingRuns.map((r) => percentile(r, 99)));
    const note = `${PEOPLE_PER_RUN * APPS} sequential unlinks per run (${PEOPLE_PER_RUN} people with ${APPS} linked apps each) after ${WARM_UP_PEOPLE * APPS} uncounted warm-up unlinks; default dispatcher (concurrency 16, 2 per app), woken by the unlink's COMMIT in the same process`;
    const burstNote = (hang: string) =>
      `${SESSIONS} people at once, each unlinking ${BURST_APPS} apps one after another, one every ${PACE_MS} ms (${(SESSIONS * 1000) / PACE_MS} unlinks/s, ${SESSIONS * BURST_APPS} per run)${hang}; p99 of the healthy receivers' samples, from the POST to the arrival`;
    return [
      { part: '4', name: 'Unlink → callback latency p50', unit: 'ms', value: p50, target: '—', note },
      {
        part: '4',
        name: 'Unlink → callback latency p99 (healthy receivers)',
        unit: 'ms',
        value: p99,
        target: '≤ 100 ms',
        met: p99.median <= 100,
        note,
      },
      {
        part: '4',
        name: 'Unlink burst p99, all receivers healthy',
        unit: 'ms',
        value: healthyP99,
        target: '—',
        note: burstNote(''),
      },
      {
        part: '4',
        name: 'Unlink burst p99 with 10 % of receivers hanging (healthy receivers)',
        unit: 'ms',
        value: hangingP99,
        baselineName: 'same burst, all receivers healthy',
        baseline: healthyP99,
        ratio: hangingP99.median / healthyP99.median,
        target: '≤ 200 ms (2 × 100 ms)',
        met: hangingP99.median <= 200,
        note: burstNote(
          `; ${HANGING} of the ${BURST_APPS} apps (10 %) have a receiver that never answers, so their attempts hang until the 3 s callback timeout (YEON_CALLBACK_TIMEOUT_MS, default) and retry after 5 s`,
        ),
      },
    ];
  } finally {
    await yeon?.stop();
  }
}
