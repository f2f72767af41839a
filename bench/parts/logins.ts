/**
 * Part 2 of issue #8: whole password logins/s (authorize → login form → consent skipped for a
 * linked app → code → token) vs raw argon2id verifications/s at the same parameters. Both are
 * bounded by argon2 on this machine's cores, so the ratio says what the rest of the flow costs.
 */
import { PASSWORD, REDIRECT_URI } from '../lib/fixtures.ts';
import { type Running, runJson, startYeon } from '../lib/proc.ts';
import { type Figure, series } from '../lib/stats.ts';
import { type Ctx, RUNS } from './http-parts.ts';

const LOAD_S = Number(process.env.BENCH_LOAD_S ?? 5);
const CONCURRENCY = 8;

interface Rate {
  rps: number;
  total: number;
  errors: number;
  firstError?: string;
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
    };
    const argon = { concurrency: 4, password: PASSWORD };
    checked(await runJson<Rate>('bench/load/login-load.ts', { ...spec, durationS: 2 }), 'login warm-up');
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(
        checked(await runJson<Rate>('bench/load/login-load.ts', { ...spec, durationS: LOAD_S }), 'logins'),
      );
      b.push(
        checked(
          await runJson<Rate>('bench/baselines/argon2-verify.ts', { ...argon, durationS: LOAD_S }),
          'argon2',
        ),
      );
    }
    const value = series(a);
    const baseline = series(b);
    const ratio = value.median / baseline.median;
    return [
      {
        part: '2',
        name: 'password logins/s (whole flow)',
        unit: '/s',
        value,
        baselineName: 'raw @node-rs/argon2 verify (m=19456,t=2,p=1, 4 at once)',
        baseline,
        ratio,
        target: '≥ 90 % of raw argon2 (Keycloak guide: 15/s per vCPU)',
        met: ratio >= 0.9,
        note: `${CONCURRENCY} browsers at once, fresh cookies each flow, ${LOAD_S} s per run; the argon2 baseline runs while yeon idles`,
      },
    ];
  } finally {
    await yeon?.stop();
  }
}
