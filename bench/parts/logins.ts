/**
 * Part 2 of the bench: whole password logins/s (authorize → login form → consent skipped for a
 * linked app → code → token), and the password POST alone, each vs raw argon2id verifications/s
 * at the same parameters.
 *
 * What the ratio can be: one login is exactly one argon2 verification (the throttle and the
 * session hash with SHA-256/HMAC only; the dummy hash for unknown emails is computed once per
 * process, in the warm-up) plus five HTTP exchanges, and the load driver runs on the same cores
 * as yeon while the baseline has them to itself. When the cores are saturated both ways, the
 * ratio is about (CPU of one verification) ÷ (yeon's CPU per login + the driver's CPU per login),
 * so the note prints those CPU costs, read over the measured window (Linux /proc), to show
 * where the rest goes.
 */
import { availableParallelism } from 'node:os';
import { PASSWORD, REDIRECT_URI } from '../lib/fixtures.ts';
import { type Running, runJson, startYeon } from '../lib/proc.ts';
import { type Figure, series } from '../lib/stats.ts';
import { type Ctx, dbName, RUNS } from './http-parts.ts';

const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 5);
const CONCURRENCY = 8;
/** Seconds of password POSTs uncounted before the post-only window (the driver's JIT, yeon's caches). */
const POST_WARMUP_S = 1;
/**
 * Seconds each login run spends uncounted first: the driver is a fresh process every run, and with
 * 1 s its V8 compiler threads still cost about as much CPU per login as its event loop (measured
 * with /proc per thread); by 3–4 s they are down to about 1 ms per login.
 */
const WARMUP_S = 3;
/**
 * yeon's YEON_PASSWORD_HASH_CONCURRENCY as the child inherits it (default: one hash per core, each
 * on its own worker thread); the baseline verifies as many at once.
 */
const HASH_CAP = Number(process.env.YEON_PASSWORD_HASH_CONCURRENCY ?? availableParallelism());

const median = (xs: Array<number | undefined>) => {
  const ok = xs.filter((x): x is number => x !== undefined).sort((p, q) => p - q);
  return ok.length ? ok[Math.floor(ok.length / 2)] : undefined;
};

/** "; CPU per login: …" from the runs' medians, or '' when /proc was not readable. */
function cpuNote(logins: Rate[], verifies: Rate[]): string {
  const server = median(logins.map((r) => r.serverCpuMs));
  const main = median(logins.map((r) => r.serverMainThreadCpuMs));
  const driver = median(logins.map((r) => r.driverCpuMs));
  const argon = median(verifies.map((r) => r.cpuMs));
  if (server === undefined || main === undefined || driver === undefined || argon === undefined) return '';
  const ceiling = Math.round((100 * argon) / (server + driver));
  return (
    `; CPU per login: yeon ${server.toFixed(1)} ms (event loop ${main.toFixed(1)} ms, the rest mostly ` +
    `argon2 on the pool), driver ${driver.toFixed(1)} ms; one verification ${argon.toFixed(1)} ms, ` +
    `so with the cores saturated the ratio cannot pass ≈ ${ceiling} %`
  );
}

interface Rate {
  rps: number;
  prepared?: number;
  ranOut?: boolean;
  total: number;
  errors: number;
  firstError?: string;
  /** CPU ms per login (login-load.ts) or per verification (argon2-verify.ts) */
  cpuMs?: number;
  driverCpuMs?: number;
  serverCpuMs?: number;
  serverMainThreadCpuMs?: number;
}

function checked(r: Rate, what: string): number {
  if (r.errors || !r.total) throw new Error(`${what}: ${r.errors} errors of ${r.total} (${r.firstError})`);
  return r.rps;
}

export async function benchLogins(ctx: Ctx): Promise<Figure[]> {
  let yeon: Running | undefined;
  try {
    yeon = await startYeon(ctx.env);
    const spec = {
      url: yeon.url,
      clientId: ctx.fixture.clientId,
      redirectUri: REDIRECT_URI,
      emails: ctx.fixture.people.map((p) => p.email),
      password: PASSWORD,
      concurrency: CONCURRENCY,
      serverPid: yeon.child.pid,
      warmupS: WARMUP_S,
    };
    const argon = { concurrency: HASH_CAP, password: PASSWORD };
    checked(
      await runJson<Rate>('bench/load/login-load.ts', { ...spec, warmupS: 0, durationS: 2 }),
      'login warm-up',
    );
    const a: number[] = [];
    const b: number[] = [];
    const p: number[] = [];
    const logins: Rate[] = [];
    const verifies: Rate[] = [];
    const posts: Rate[] = [];
    for (let i = 0; i < RUNS; i++) {
      const l = await runJson<Rate>('bench/load/login-load.ts', { ...spec, durationS: LOAD_S });
      a.push(checked(l, 'logins'));
      logins.push(l);
      const v = await runJson<Rate>('bench/baselines/argon2-verify.ts', { ...argon, durationS: LOAD_S });
      b.push(checked(v, 'argon2'));
      verifies.push(v);
      // Enough prepared browsers for the POSTs to outlast the window at the raw argon2 rate of
      // this run (a POST is at most one verification), with room to spare.
      const prepare = Math.ceil(v.rps * (POST_WARMUP_S + LOAD_S) * 1.5) + CONCURRENCY;
      const o = await runJson<Rate>(
        'bench/load/login-load.ts',
        { ...spec, postOnly: true, prepare, warmupS: POST_WARMUP_S, durationS: LOAD_S },
        { timeoutMs: 300_000 },
      );
      p.push(checked(o, 'password POSTs'));
      posts.push(o);
    }
    const value = series(a);
    const baseline = series(b);
    const ratio = value.median / baseline.median;
    const cpu = cpuNote(logins, verifies);
    const postValue = series(p);
    const postRatio = postValue.median / baseline.median;
    const ranOut = posts.filter((o) => o.ranOut).length;
    const postServer = median(posts.map((o) => o.serverCpuMs));
    const postMain = median(posts.map((o) => o.serverMainThreadCpuMs));
    const argonCpu = median(verifies.map((r) => r.cpuMs));
    const postCpu =
      postServer === undefined || postMain === undefined || argonCpu === undefined
        ? ''
        : `; CPU per POST: yeon ${postServer.toFixed(1)} ms (event loop ${postMain.toFixed(1)} ms), one verification ${argonCpu.toFixed(1)} ms`;
    const wholeMin = ctx.dbKind === 'postgres' ? 0.65 : 0.75;
    return [
      {
        part: '2',
        name: 'password logins/s (whole flow)',
        unit: '/s',
        value,
        baselineName: `raw @node-rs/argon2 verify (m=19456,t=2,p=1, ${HASH_CAP} at once)`,
        baseline,
        ratio,
        target: `≥ ${wholeMin * 100} % of raw argon2 on ${dbName(ctx)} (Keycloak guide: 15/s per vCPU)`,
        met: ratio >= wholeMin,
        note: `${CONCURRENCY} browsers at once, fresh cookies each flow, ${LOAD_S} s per run after ${WARMUP_S} s uncounted; the argon2 baseline runs while yeon idles; ${HASH_CAP} hashes at once in both (yeon on its worker threads, the baseline on libuv's pool)${cpu}`,
      },
      {
        part: '2',
        name: 'password POSTs/s (login POST alone)',
        unit: '/s',
        value: postValue,
        baselineName: `raw @node-rs/argon2 verify (m=19456,t=2,p=1, ${HASH_CAP} at once)`,
        baseline,
        ratio: postRatio,
        target: '≥ 90 % of raw argon2',
        met: postRatio >= 0.9,
        note:
          `each counted request is one password POST answered by a 303 onwards; each browser fetched /oauth/authorize and the login page uncounted before the clock (${posts.map((o) => o.prepared).join(', ')} browsers prepared per run, from ${POST_WARMUP_S + LOAD_S} s × the run's argon2 rate × 1.5); ` +
          `${CONCURRENCY} POSTs at once, ${LOAD_S} s per run after ${POST_WARMUP_S} s uncounted; same argon2 baseline runs as the whole login${postCpu}` +
          (ranOut
            ? `; in ${ranOut} of ${RUNS} runs the prepared browsers ran out first and the window closed at the last POST`
            : ''),
      },
    ];
  } finally {
    await yeon?.stop();
  }
}
