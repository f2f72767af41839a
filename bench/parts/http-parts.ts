/**
 * Parts 1, 3 and 6 of the bench: refresh_token grants/s vs bare oidc-provider, /v2/user/me vs a
 * raw node:http hello-world, and idle RSS / cold start. yeon and its baseline alternate run by
 * run, so a noisy neighbour hurts both alike.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type BasicFixture, SCOPE } from '../lib/fixtures.ts';
import { cpuMs, type Running, rssMb, runJson, sleep, startScript, startYeon } from '../lib/proc.ts';
import { type Figure, fmt, type Series, series } from '../lib/stats.ts';

export interface Ctx {
  env: Record<string, string>;
  fixture: BasicFixture;
  log: (s: string) => void;
  dataDir: string;
  /** the run's database: some targets differ between SQLite and PostgreSQL */
  dbKind: 'sqlite' | 'postgres';
}

export const RUNS = 3;

/** The run's database as the targets name it. */
export function dbName(ctx: Pick<Ctx, 'dbKind'>): string {
  return ctx.dbKind === 'postgres' ? 'PostgreSQL' : 'SQLite';
}
const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 5);
const CONNECTIONS = 10;

export interface LoadResult {
  rps: number;
  total: number;
  errors: number;
  non2xx: number;
  p50: number;
  p99: number;
}

export async function load(spec: Record<string, unknown>): Promise<LoadResult> {
  const r = await runJson<LoadResult>('bench/load/http-load.ts', {
    connections: CONNECTIONS,
    durationS: LOAD_S,
    ...spec,
  });
  if (r.errors || r.non2xx || !r.total) {
    throw new Error(`${String(spec.url)}: ${r.errors} errors, ${r.non2xx} non-2xx of ${r.total} requests`);
  }
  return r;
}

/**
 * One load run against `server`, with the server's CPU per request (all threads, from /proc)
 * pushed to `cpu`: it hardly grows when other processes share the cores, so it still compares
 * two servers on a busy machine.
 */
async function measuredRun(server: Running, spec: Record<string, unknown>, cpu: number[]): Promise<number> {
  const before = cpuMs(server.child.pid!);
  const r = await load(spec);
  cpu.push((cpuMs(server.child.pid!) - before) / r.total);
  return r.rps;
}

function ratioFigure(f: Omit<Figure, 'ratio' | 'met'>, minRatio: number): Figure {
  const ratio = f.value && f.baseline ? f.value.median / f.baseline.median : undefined;
  return { ...f, ratio, met: ratio === undefined ? undefined : ratio >= minRatio };
}

function cpuCell(s: Series, digits?: number): string {
  const f = (v: number) => (digits === undefined ? fmt(v) : v.toFixed(digits));
  return `${f(s.median)} ms (${f(s.min)}–${f(s.max)})`;
}

/**
 * Idle RSS is read twice per start: 3 s after the first 200, when the heap still holds what startup
 * grew it to (V8 keeps a 32 MB young generation it filled while loading), and 30 s after, by when
 * V8's memory reducer has noticed the process is idle and returned that memory (it runs 20–25 s
 * after startup on the reference machine; `node --trace-gc` shows it as "Mark-Compact (reduce)").
 * The settled figure is the idle RSS; the 3 s one is reported beside it.
 */
const JUST_STARTED_MS = 3000;
const SETTLED_MS = 30_000;

/** One start of `bin/yeon serve`: ms to the first 200 on /healthz, and RSS at 3 s (and at 30 s). */
async function startOnce(env: Record<string, string>, settle: boolean) {
  const yeon = await startYeon(env);
  try {
    await sleep(JUST_STARTED_MS); // started: dispatcher polling, no request since /healthz
    const rssJustStarted = rssMb(yeon.child.pid!);
    let rssSettled: number | undefined;
    if (settle) {
      await sleep(SETTLED_MS - JUST_STARTED_MS);
      rssSettled = rssMb(yeon.child.pid!);
    }
    return {
      readyMs: yeon.readyMs,
      readyCpuMs: yeon.readyCpuMs!,
      rssJustStarted,
      rssSettled,
      runs: yeon.runs!,
    };
  } finally {
    await yeon.stop();
  }
}

/**
 * Part 6 runs what `bin/yeon` runs: the build in dist/ (`npm run bench` builds first) unless a
 * source changed since, then the sources through tsx; the notes say which, and why. With a build,
 * each run is followed by a start from the sources (YEON_FROM_SOURCE=1, what tests and development
 * run), reported on their own rows so the same run shows what the build buys (docs/decisions/0003).
 */
export async function benchStartup(ctx: Ctx): Promise<Figure[]> {
  const cold: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  const rss3s: number[] = [];
  const sourceCold: number[] = [];
  const sourceCpu: number[] = [];
  const sourceRss: number[] = [];
  const ran = new Map<string, number>();
  for (let i = 0; i < RUNS; i++) {
    const run = await startOnce(ctx.env, true);
    cold.push(run.readyMs);
    cpu.push(run.readyCpuMs);
    rss.push(run.rssSettled!);
    rss3s.push(run.rssJustStarted);
    const what =
      run.runs.mode === 'dist'
        ? `the build in dist/ (${run.runs.reason})`
        : `the sources through tsx (${run.runs.reason})`;
    ran.set(what, (ran.get(what) ?? 0) + 1);
    if (run.runs.mode === 'dist') {
      const fromSource = await startOnce({ ...ctx.env, YEON_FROM_SOURCE: '1' }, false);
      sourceCold.push(fromSource.readyMs);
      sourceCpu.push(fromSource.readyCpuMs);
      sourceRss.push(fromSource.rssJustStarted);
    }
  }
  const ranNote = `bin/yeon ran ${[...ran].map(([what, n]) => `${what} in ${n} of ${RUNS} runs`).join('; ')}`;
  // CPU time to the first 200 grows far less than wall time when other processes share the cores.
  const cpuNote = (runs: number[]) => `CPU time to the first 200 (all threads): ${cpuCell(series(runs))}`;
  const c = series(cold);
  const r = series(rss);
  const figures: Figure[] = [
    {
      part: '6',
      name: 'Cold start (spawn → first 200 on /healthz)',
      unit: 'ms',
      value: c,
      baselineName: 'Keycloak: not run here',
      target: '≤ 500 ms',
      met: c.median <= 500,
      note: `${ranNote}; includes Node start, loading the code, migrations check and key load; ${cpuNote(cpu)}`,
    },
    {
      part: '6',
      name: 'Idle RSS, 30 s after start',
      unit: 'MB',
      value: r,
      baselineName: 'Keycloak sizing guide: 1,250 MB base',
      target: '≤ 90 MB',
      met: r.median <= 90,
      note: `${ranNote}; no request after /healthz; by 30 s V8's memory reducer has returned the young generation startup grew (20–25 s after start here)`,
    },
    {
      part: '6',
      name: 'RSS 3 s after start (before V8 shrinks its heap)',
      unit: 'MB',
      value: series(rss3s),
      target: '— (reference)',
      note: 'the same starts, read 3 s after the first 200: the heap still holds the 32 MB young generation V8 grew while loading the code',
    },
  ];
  // Only when every run used the build; a mixed run (a source edited mid-run) has no clean pair.
  if (sourceCold.length === RUNS) {
    figures.push(
      {
        part: '6',
        name: 'Cold start from the sources through tsx (tests, development)',
        unit: 'ms',
        value: series(sourceCold),
        target: '— (reference)',
        note: cpuNote(sourceCpu),
      },
      {
        part: '6',
        name: 'RSS 3 s after start, sources through tsx',
        unit: 'MB',
        value: series(sourceRss),
        target: '— (reference)',
      },
    );
  }
  return figures;
}

async function alternate(
  yeonRun: () => Promise<number>,
  baseRun: () => Promise<number>,
): Promise<[number[], number[]]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await yeonRun());
    b.push(await baseRun());
  }
  return [a, b];
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString();
}

export async function benchRefresh(ctx: Ctx): Promise<Figure[]> {
  const { fixture } = ctx;
  const tokensFile = path.join(ctx.dataDir, 'bare-tokens.json');
  let yeon: Running | undefined;
  let bare: Running | undefined;
  try {
    yeon = await startYeon(ctx.env);
    bare = await startScript('bench/baselines/oidc-bare.ts', [
      fixture.clientId,
      String(fixture.refreshTokens.length),
      tokensFile,
    ]);
    const bareTokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as string[];
    rmSync(tokensFile);
    const spec = (url: string, tokens: string[]) => ({
      url: `${url}/oauth/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      bodies: tokens.map((t) =>
        form({ grant_type: 'refresh_token', client_id: fixture.clientId, refresh_token: t }),
      ),
    });
    const y = yeon;
    const b = bare;
    // warm-up: JIT, caches and connection pools, not counted
    await load({ ...spec(y.url, fixture.refreshTokens), durationS: 2 });
    await load({ ...spec(b.url, bareTokens), durationS: 2 });
    // Server CPU per grant beside grants/s (measuredRun).
    const yeonCpu: number[] = [];
    const bareCpu: number[] = [];
    const [a, base] = await alternate(
      () => measuredRun(y, spec(y.url, fixture.refreshTokens), yeonCpu),
      () => measuredRun(b, spec(b.url, bareTokens), bareCpu),
    );
    const cpuRatio = series(bareCpu).median / series(yeonCpu).median;
    const minRatio = ctx.dbKind === 'postgres' ? 0.5 : 0.7;
    return [
      ratioFigure(
        {
          part: '1',
          name: 'refresh_token grants/s',
          unit: '/s',
          value: series(a),
          baselineName: 'bare oidc-provider (Map adapter)',
          baseline: series(base),
          target: `≥ ${minRatio * 100} % of bare on ${dbName(ctx)} (Keycloak guide: 120/s per vCPU)`,
          note:
            `${fixture.refreshTokens.length} reusable refresh tokens round-robin, ${CONNECTIONS} connections, ${LOAD_S} s per run; ` +
            `scope "${SCOPE}" on both (no openid, so neither signs an ID token); ` +
            `server CPU per grant (all threads): yeon ${cpuCell(series(yeonCpu))}, bare ${cpuCell(series(bareCpu))}, ` +
            `bare ÷ yeon ${Math.round(cpuRatio * 100)} %`,
        },
        minRatio,
      ),
    ];
  } finally {
    await yeon?.stop();
    await bare?.stop();
  }
}

export async function benchUserMe(ctx: Ctx): Promise<Figure[]> {
  let yeon: Running | undefined;
  let hello: Running | undefined;
  try {
    yeon = await startYeon(ctx.env);
    hello = await startScript('bench/baselines/hello.ts');
    const me = {
      url: `${yeon.url}/v2/user/me`,
      headers: { authorization: `Bearer ${ctx.fixture.accessToken}` },
    };
    const hw = { url: hello.url };
    await load({ ...me, durationS: 2 });
    await load({ ...hw, durationS: 2 });
    const y = yeon;
    const h = hello;
    const yeonCpu: number[] = [];
    const helloCpu: number[] = [];
    const [a, base] = await alternate(
      () => measuredRun(y, me, yeonCpu),
      () => measuredRun(h, hw, helloCpu),
    );
    const minRatio = ctx.dbKind === 'postgres' ? 0.25 : 0.4;
    return [
      ratioFigure(
        {
          part: '3',
          name: '/v2/user/me requests/s',
          unit: '/s',
          value: series(a),
          baselineName: 'raw node:http hello-world',
          baseline: series(base),
          target: `≥ ${minRatio * 100} % of raw http on ${dbName(ctx)}`,
          note:
            `one valid token, ${CONNECTIONS} connections, ${LOAD_S} s per run; ` +
            `server CPU per request (all threads): yeon ${cpuCell(series(yeonCpu), 3)}, hello-world ${cpuCell(series(helloCpu), 3)}`,
        },
        minRatio,
      ),
    ];
  } finally {
    await yeon?.stop();
    await hello?.stop();
  }
}
