/**
 * Part 4's sustained unlinks: Delete All Data unlinks at a steady open-loop rate (BENCH_SUSTAIN_RATE,
 * default 500/s) for BENCH_SUSTAIN_S seconds (default 30) after 2 s uncounted, p50 and p99 from the
 * unlink POST to the callback's arrival at a loopback receiver (bench/load/sustain-load.ts), and
 * the rate yeon actually took in and delivered.
 *
 * The part has its own database (a fresh SQLite file, or a fresh PostgreSQL database), so the
 * people it seeds do not change what the other parts' databases hold (part 5 counts connections).
 * Its links are written while yeon is stopped: the apps through yeon's services, the people and
 * their links in bulk by bench/seed-connections.ts (filler people linked to every app: the rows the
 * services write for a link, minus consent and app_user_ids rows, which an unlink does not read),
 * and a browser session per person through the sessions service.
 */
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createBenchApp, withServices } from '../lib/fixtures.ts';
import { createPostgresDatabase } from '../lib/postgres.ts';
import { cpuMs, freePort, type Running, runJson, startYeon } from '../lib/proc.ts';
import { type Figure, fmt, series } from '../lib/stats.ts';
import { type Ctx, RUNS } from './http-parts.ts';

const RATE = Number(process.env.BENCH_SUSTAIN_RATE ?? 500);
const SUSTAIN_S = Number(process.env.BENCH_SUSTAIN_S ?? 30);
const WARMUP_S = 2;
/** Apps every filler person is linked to; the dispatcher sends at most 2 at once per app. */
const APPS = 50;
/** p99 target, ms */
const TARGET_MS = 20;
/** A run meets the rate when yeon took in and delivered at least this share of it. */
const RATE_SHARE = 0.98;
/** Unanswered unlinks at once before the driver waits (≈ 4 s of backlog at 500/s). */
const MAX_IN_FLIGHT = 2000;
/** A run sends nothing after this many times its planned length (bounded when yeon falls far behind). */
const SEND_FOR = 4;

interface Out {
  errors: number;
  firstError?: string;
  asked: number;
  sent: number;
  counted: number;
  p50: number;
  p99: number;
  max: number;
  answerP50: number;
  answerP99: number;
  achievedRate: number;
  sentRate: number;
  maxLateMs: number;
  maxInFlight: number;
}

export async function benchSustain(ctx: Ctx): Promise<Figure[]> {
  const receiverPort = await freePort();
  const pg = ctx.dbKind === 'postgres' ? await createPostgresDatabase() : undefined;
  const dataDir = path.join(ctx.dataDir, 'sustain');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const env: Record<string, string> = {
    ...ctx.env,
    YEON_DATA_DIR: dataDir,
    // Loopback receivers are refused unless allowed (SSRF guard); yeon serve gets the same rule.
    YEON_OUTBOUND_ALLOW: '127.0.0.1/32',
  };
  if (pg) env.DATABASE_URL = pg.url;
  const perRun = Math.round(RATE * (WARMUP_S + SUSTAIN_S));
  const people = Math.ceil((perRun * RUNS) / APPS);
  let yeon: Running | undefined;
  try {
    const t0 = performance.now();
    const appIds = await withServices(env, async (app) => {
      const owner = await app.services.accounts.signUp({
        email: 'sustain-dev@bench.invalid',
        password: 'bench horse battery staple',
        nickname: 'Sustain developer',
      });
      const ids: number[] = [];
      for (let i = 0; i < APPS; i++)
        ids.push(
          (
            await createBenchApp(
              app,
              owner.id,
              `Bench Sustain App ${i}`,
              `http://127.0.0.1:${receiverPort}/unlink`,
            )
          ).app_id,
        );
      return ids;
    });
    await runJson('bench/seed-connections.ts', null, {
      args: ['--total', String(people * APPS), '--apps', appIds.join(',')],
      env,
      timeoutMs: 600_000,
    });
    const { cookies, links } = await withServices(env, async (app, db) => {
      const rows = (
        await sql<{ account_id: string; app_id: number | string; app_user_id: number | string }>`
          SELECT account_id, app_id, app_user_id FROM connections
          WHERE status = 'linked' AND account_id IN (
            SELECT id FROM accounts WHERE email_normalized LIKE 'filler%@bench.invalid')
          ORDER BY account_id, app_id`.execute(db)
      ).rows;
      const byPerson = new Map<string, Map<number, number>>();
      for (const r of rows) {
        const m = byPerson.get(r.account_id) ?? new Map<number, number>();
        byPerson.set(r.account_id, m);
        m.set(Number(r.app_id), Number(r.app_user_id));
      }
      const accounts = [...byPerson.keys()];
      if (accounts.length < people) throw new Error(`seeded ${accounts.length} people, wanted ${people}`);
      const cookies: string[] = [];
      for (const accountId of accounts) {
        const s = await app.services.sessions.start({ accountId, remember: true });
        cookies.push(`yeon_session=${s.token}`);
      }
      // Run r uses people [r × perPerson … ): each person unlinks every app once, and in the
      // order of the schedule consecutive unlinks go to different people and different apps
      // (round k: person p unlinks app (p + k) mod APPS), as independent people would.
      const perRunPeople = Math.ceil(perRun / APPS);
      const links: Array<Array<[number, number, number]>> = [];
      for (let r = 0; r < RUNS; r++) {
        const run: Array<[number, number, number]> = [];
        for (let k = 0; k < APPS; k++)
          for (let q = 0; q < perRunPeople; q++) {
            const p = r * perRunPeople + q;
            const appId = appIds[(q + k) % APPS]!;
            run.push([p, appId, byPerson.get(accounts[p]!)!.get(appId)!]);
          }
        links.push(run.slice(0, perRun));
      }
      return { cookies, links };
    });
    ctx.log(
      `sustain: seeded ${people} people × ${APPS} apps with sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    yeon = await startYeon(env);
    const outs: Out[] = [];
    const cpuPerUnlink: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const cpu0 = cpuMs(yeon.child.pid!);
      const out = await runJson<Out>(
        'bench/load/sustain-load.ts',
        {
          url: yeon.url,
          receiverPort,
          rate: RATE,
          warmupS: WARMUP_S,
          durationS: SUSTAIN_S,
          people: cookies,
          links: links[r],
          waitMs: 30_000,
          maxInFlight: MAX_IN_FLIGHT,
          sendForS: SEND_FOR * (WARMUP_S + SUSTAIN_S),
        },
        { timeoutMs: (SEND_FOR * (WARMUP_S + SUSTAIN_S) + 90) * 1000 },
      );
      if (out.errors || !out.counted)
        throw new Error(`run ${r + 1}: ${out.errors} errors of ${out.asked} unlinks (${out.firstError})`);
      cpuPerUnlink.push((cpuMs(yeon.child.pid!) - cpu0) / out.sent);
      ctx.log(
        `sustain run ${r + 1}: p50 ${fmt(out.p50)} ms, p99 ${fmt(out.p99)} ms, achieved ${fmt(out.achievedRate)}/s`,
      );
      outs.push(out);
    }
    const p50 = series(outs.map((o) => o.p50));
    const p99 = series(outs.map((o) => o.p99));
    const achieved = series(outs.map((o) => o.achievedRate));
    const cpu = series(cpuPerUnlink);
    const cores = cpus().length;
    const short = outs.filter((o) => o.achievedRate < RATE * RATE_SHARE).length;
    const cut = outs.filter((o) => o.sent < o.asked);
    const note =
      `open loop: ${RATE} Delete All Data unlinks/s asked for ${SUSTAIN_S} s after ${WARMUP_S} s uncounted (BENCH_SUSTAIN_RATE, BENCH_SUSTAIN_S), ${RUNS} runs of ${outs.map((o) => o.counted).join(', ')} counted unlinks; ` +
      `${people} people × ${APPS} apps seeded in their own database, each person's CSRF token fetched before the clock; default dispatcher (16 at once, 2 per app), one loopback receiver in the driver's process; ` +
      `achieved (unlinks ÷ window start to last callback) ${fmt(achieved.median)}/s (${fmt(achieved.min)}–${fmt(achieved.max)}), POSTs sent at ${outs.map((o) => fmt(o.sentRate)).join(', ')}/s, ` +
      `most unanswered at once ${Math.max(...outs.map((o) => o.maxInFlight))}, latest send ${fmt(Math.max(...outs.map((o) => o.maxLateMs)))} ms behind schedule; ` +
      `POST answered in p50 ${fmt(series(outs.map((o) => o.answerP50)).median)} ms, p99 ${fmt(series(outs.map((o) => o.answerP99)).median)} ms; slowest callback ${fmt(Math.max(...outs.map((o) => o.max)))} ms; ` +
      `yeon's CPU per unlink (all threads, its delivery included) ${fmt(cpu.median)} ms (${fmt(cpu.min)}–${fmt(cpu.max)}), so the machine's ${cores} cores, all given to yeon, would take at most ≈ ${fmt((cores * 1000) / cpu.median)}/s` +
      (cut.length
        ? `; ${cut.length} of ${RUNS} runs stopped sending at ${SEND_FOR} × their planned length (${cut.map((o) => `${o.sent} of ${o.asked} sent`).join(', ')})`
        : '') +
      (short
        ? `; in ${short} of ${RUNS} runs yeon did not sustain ${RATE}/s (achieved < ${RATE_SHARE * 100} % of it), so the target is not met`
        : '');
    return [
      {
        part: '4',
        name: `Unlink → callback p50 at ${RATE} unlinks/s sustained`,
        unit: 'ms',
        value: p50,
        target: '—',
        note: 'the same runs as the p99 below',
      },
      {
        part: '4',
        name: `Unlink → callback p99 at ${RATE} unlinks/s sustained for ${SUSTAIN_S} s`,
        unit: 'ms',
        value: p99,
        target: `≤ ${TARGET_MS} ms at ≥ ${RATE * RATE_SHARE}/s achieved`,
        met: p99.median <= TARGET_MS && short === 0,
        note,
      },
    ];
  } finally {
    await yeon?.stop();
    await pg?.drop();
  }
}
