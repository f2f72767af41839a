/**
 * Part 5 of the bench: server time of GET /account/connected-services for a person with 200
 * connected apps, in databases holding 10 k, 1 M (and 10 M when the measured seeding rate says it
 * fits the time budget) connections. One connection at a time on loopback, so the latency is the
 * server's time plus a loopback round trip. The bulk rows come from bench/seed-connections.ts.
 */
import { statfsSync } from 'node:fs';
import { createBenchApp, withServices } from '../lib/fixtures.ts';
import { type Running, runJson, startYeon } from '../lib/proc.ts';
import { type Figure, fmt, series } from '../lib/stats.ts';
import { type Ctx, RUNS } from './http-parts.ts';

/** The person's connected apps (also bench/tools/profile.ts `page`). */
export const PAGE_APPS = 200;
const SEED_BUDGET_S = Number(process.env.BENCH_SEED_BUDGET_S ?? 300);

/** The page's person, linked to PAGE_APPS apps with two agreed items each, and a session (also bench/tools/profile.ts). */
export async function seedPagePerson(env: Record<string, string>) {
  return withServices(env, async (app) => {
    const owner = await app.services.accounts.signUp({
      email: 'page-dev@bench.invalid',
      password: 'bench horse battery staple',
      nickname: 'Page developer',
    });
    const me = await app.services.accounts.signUp({
      email: 'page-person@bench.invalid',
      password: 'bench horse battery staple',
      nickname: 'Page person',
    });
    const appIds: number[] = [];
    for (let i = 0; i < PAGE_APPS; i++) {
      const created = await createBenchApp(app, owner.id, `Bench Page App ${i}`);
      appIds.push(created.app_id);
      await app.services.connections.agree({
        accountId: me.id,
        appId: created.app_id,
        items: ['profile_nickname', 'account_email'],
      });
    }
    const session = await app.services.sessions.start({ accountId: me.id, remember: true });
    return { appIds, sessionToken: session.token };
  });
}

interface Timed {
  total: number;
  errors: number;
  non2xx: number;
  p50: number;
}

/** One request at a time, timed to the microsecond (bench/load/sequential-load.ts). */
async function timed(spec: { url: string; headers: Record<string, string>; durationS: number }) {
  const r = await runJson<Timed>('bench/load/sequential-load.ts', spec);
  if (r.errors || r.non2xx || !r.total) {
    throw new Error(`${spec.url}: ${r.errors} errors, ${r.non2xx} non-2xx of ${r.total} requests`);
  }
  return r;
}

async function measure(ctx: Ctx, cookie: string): Promise<number[]> {
  let yeon: Running | undefined;
  try {
    yeon = await startYeon(ctx.env);
    const spec = {
      url: `${yeon.url}/account/connected-services`,
      headers: { cookie, 'accept-language': 'en', accept: 'text/html' },
    };
    const page = await fetch(spec.url, { headers: spec.headers, redirect: 'manual' });
    const html = await page.text();
    const shown = html.match(/Bench Page App \d+/g)?.length ?? 0;
    if (page.status !== 200 || new Set(html.match(/Bench Page App \d+/g)).size !== PAGE_APPS) {
      throw new Error(`the page does not show the ${PAGE_APPS} apps (status ${page.status}, ${shown} names)`);
    }
    await timed({ ...spec, durationS: 2 });
    const p50: number[] = [];
    for (let i = 0; i < RUNS; i++) p50.push((await timed({ ...spec, durationS: 3 })).p50);
    return p50;
  } finally {
    await yeon?.stop();
  }
}

export async function benchPage(ctx: Ctx): Promise<Figure[]> {
  const { appIds, sessionToken } = await seedPagePerson(ctx.env);
  const cookie = `yeon_session=${sessionToken}`;
  const figures: Figure[] = [];
  let rate = 0;
  for (const total of [10_000, 1_000_000, 10_000_000]) {
    const label = total >= 1_000_000 ? `${total / 1_000_000} M` : `${total / 1000} k`;
    const name = `Connected-services page, 200 apps, ${label} connections (p50 latency)`;
    if (total === 10_000_000) {
      const projected = rate ? (total - 1_000_000) / rate : Number.POSITIVE_INFINITY;
      const free = statfsSync(ctx.dataDir);
      const freeGb = (free.bavail * free.bsize) / 1e9;
      if (projected > SEED_BUDGET_S || freeGb < 8) {
        figures.push({
          part: '5',
          name,
          unit: 'ms',
          target: '≤ 3 ms',
          note: `seeding measured at ${fmt(rate)} rows/s → ~${fmt(projected)} s for 9 M more rows, over the ${SEED_BUDGET_S} s budget (or < 8 GB free: ${fmt(freeGb)} GB)`,
        });
        continue;
      }
    }
    ctx.log(`seeding ${label} connections`);
    const seeded = await runJson<{ inserted: number; seconds: number; rowsPerS: number }>(
      'bench/seed-connections.ts',
      null,
      { args: ['--total', String(total), '--apps', appIds.join(',')], env: ctx.env, timeoutMs: 900_000 },
    );
    if (seeded.inserted > 100_000) rate = seeded.rowsPerS;
    ctx.log(
      `seeded ${seeded.inserted} rows in ${seeded.seconds.toFixed(1)} s (${fmt(seeded.rowsPerS)} rows/s)`,
    );
    const value = series(await measure(ctx, cookie));
    figures.push({
      part: '5',
      name,
      unit: 'ms',
      value,
      baselineName: '—',
      target: '≤ 3 ms',
      met: value.median <= 3,
      note: `${label}: seeded ${seeded.inserted} rows at ${fmt(seeded.rowsPerS)} rows/s; latency on loopback, one request at a time over one keep-alive connection, timed to the microsecond (server time plus one loopback round trip, so the server's own time is a little lower)`,
    });
  }
  return figures;
}
