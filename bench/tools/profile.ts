/**
 * `node --import tsx bench/tools/profile.ts <mode> [seconds] [--db postgres]`: seeds what the
 * bench figure needs, starts `bin/yeon serve` (for `bare`, the part 1 baseline) with `--cpu-prof`,
 * drives it from another process and prints, for the samples taken while the measured load ran,
 * the functions with the most self and inclusive time and self time by package
 * (bench/tools/cpuprofile-top.ts). Run `node scripts/build.mjs` first, or it profiles the sources
 * through tsx (the header says which ran).
 *
 * Modes, one per figure of bench/README.md:
 * - `refresh`, `bare`: part 1, refresh_token grants (yeon, bare oidc-provider), 10 connections;
 * - `login`: part 2, whole login flows, 8 browsers (bench/load/login-load.ts);
 * - `login-post`: part 2's password POST alone, the login pages fetched uncounted beforehand
 *   (bench/tools/login-post-load.ts);
 * - `me`: part 3, `GET /v2/user/me`, 10 connections;
 * - `unlink`: part 4, Delete All Data presses (confirmation page and POST) by several people at
 *   once, with callbacks to a loopback receiver (bench/load/unlink-load.ts);
 * - `burst`: part 4's drain, BURST_N pending unlink notifications delivered to a loopback receiver;
 * - `page`: part 5, `GET /account/connected-services` for a person with 200 apps, 10 k
 *   connections in the database, one request at a time;
 * - `startup`: part 6, from spawn to the first 200 on /healthz.
 *
 * `--db postgres` runs on a scratch database on 127.0.0.1:5432 (BENCH_PG_ADMIN_URL to change),
 * dropped afterwards; otherwise DATABASE_URL, if set, names the (empty) database to use; otherwise
 * a SQLite file in a temporary directory.
 *
 * BENCH_PROFILE_KEEP=<dir> copies the .cpuprofile files there (named <mode>-<database>-…), to open
 * in Chrome DevTools or to read again with `cpuprofile-top.ts <file> --from µs --to µs --callers
 * <function>` (the window is in the JSON line printed before the tables).
 * `NODE_OPTIONS=--import=./bench/tools/sqlite-statement-stats.mjs` adds per-statement SQLite times,
 * which the profile cannot attribute (bench/tools/sqlite-statement-stats.mjs).
 */

import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createBenchApp, PASSWORD, REDIRECT_URI, seedBasic, withServices } from '../lib/fixtures.ts';
import { createPostgresDatabase } from '../lib/postgres.ts';
import { benchEnv, freePort, ROOT, type Running, runJson, startScript, startYeon } from '../lib/proc.ts';
import { enqueuePendingUnlinks } from '../parts/burst.ts';
import { PAGE_APPS, seedPagePerson } from '../parts/page.ts';
import { monotonicUs, printTop, type Window } from './cpuprofile-top.ts';

const MODES = ['refresh', 'bare', 'login', 'login-post', 'me', 'unlink', 'burst', 'page', 'startup'];
const argv = process.argv.slice(2);
const dbAt = argv.indexOf('--db');
const dbKind = dbAt >= 0 ? argv[dbAt + 1] : undefined;
const positional = argv.filter((_, i) => dbAt < 0 || (i !== dbAt && i !== dbAt + 1));
const [what = 'me', secondsArg = '5'] = positional;
const seconds = Number(secondsArg);
if (!MODES.includes(what) || !(seconds > 0) || (dbKind && dbKind !== 'postgres' && dbKind !== 'sqlite')) {
  console.error(`usage: profile.ts <${MODES.join('|')}> [seconds] [--db postgres|sqlite]`);
  process.exit(2);
}
/** pending notifications for `burst` */
const BURST_N = Number(process.env.BENCH_BURST_N ?? 2000);
const log = (s: string) => process.stderr.write(`[profile] ${s}\n`);

const dataDir = mkdtempSync(path.join(tmpdir(), 'yeon-prof-'));
const profDir = path.join(dataDir, 'prof');
const env = await benchEnv(dataDir);
const pg = dbKind === 'postgres' ? await createPostgresDatabase() : undefined;
if (pg) env.DATABASE_URL = pg.url;
else if (dbKind !== 'sqlite' && process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
const database = env.DATABASE_URL ? 'postgres' : 'sqlite';
const profArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`];

let server: Running | undefined;
let window: Window | undefined;
const report: Record<string, unknown> = { mode: what, database, seconds };

/** one http-load run (autocannon in its own process); throws on any error */
async function load(spec: Record<string, unknown>, durationS: number) {
  const r = await runJson<{ rps: number; total: number; errors: number; non2xx: number; p50: number }>(
    'bench/load/http-load.ts',
    { connections: 10, durationS, ...spec },
  );
  if (r.errors || r.non2xx || !r.total) throw new Error(`load: ${JSON.stringify(r)}`);
  return r;
}

/** uncounted warm-up, then the counted run, whose span is the profile's window */
async function measuredLoad(spec: Record<string, unknown>) {
  await load(spec, 2);
  const fromUs = monotonicUs();
  const r = await load(spec, seconds);
  window = { fromUs, toUs: monotonicUs() };
  report.load = r;
}

async function yeon(extraEnv: Record<string, string> = {}, nodeArgs = profArgs) {
  server = await startYeon({ ...env, ...extraEnv }, nodeArgs);
  report.runs = server.runs;
  log(`yeon ready in ${server.readyMs.toFixed(0)} ms, running ${server.runs?.mode} (${server.runs?.reason})`);
  return server;
}

/** Loopback receivers are refused unless allowed (SSRF guard), as in bench/parts/unlink.ts. */
const OUTBOUND = { YEON_OUTBOUND_ALLOW: '127.0.0.1/32' };

async function signUp(app: FastifyInstance, tag: string) {
  return app.services.accounts.signUp({
    email: `${tag}@bench.invalid`,
    password: PASSWORD,
    nickname: tag,
  });
}

async function profileHttp() {
  const fixture = await withServices(env, (app) => seedBasic(app, 32, 2000));
  let tokens = fixture.refreshTokens;
  if (what === 'bare') {
    // bare oidc-provider (bench/baselines/oidc-bare.ts) under the same load, for comparison
    const tokensFile = path.join(dataDir, 'bare-tokens.json');
    server = await startScript(
      'bench/baselines/oidc-bare.ts',
      [fixture.clientId, '2000', tokensFile],
      profArgs,
    );
    tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as string[];
  } else {
    await yeon();
  }
  const url = server!.url;
  if (what === 'me') {
    await measuredLoad({
      url: `${url}/v2/user/me`,
      headers: { authorization: `Bearer ${fixture.accessToken}` },
    });
    return;
  }
  await measuredLoad({
    url: `${url}/oauth/token`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    bodies: tokens.map((t) =>
      new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: fixture.clientId,
        refresh_token: t,
      }).toString(),
    ),
  });
}

async function profileLogin() {
  const fixture = await withServices(env, (app) => seedBasic(app, 32, 1));
  const { url, child } = await yeon();
  const base = {
    url,
    clientId: fixture.clientId,
    redirectUri: REDIRECT_URI,
    emails: fixture.people.map((p) => p.email),
    password: PASSWORD,
  };
  if (what === 'login') {
    // the whole login flow of bench part 2, 8 browsers; it counts the last `seconds` of its run
    const r = await runJson('bench/load/login-load.ts', {
      ...base,
      concurrency: 8,
      serverPid: child.pid,
      warmupS: 2,
      durationS: seconds,
    });
    const toUs = monotonicUs();
    window = { fromUs: toUs - seconds * 1e6, toUs };
    report.load = r;
    return;
  }
  // enough login pages for ~80 POSTs/s, more than 2 shared cores verify
  const r = await runJson<{ fromUs: number; toUs: number }>(
    'bench/tools/login-post-load.ts',
    { ...base, forms: Math.ceil(80 * seconds) + 16, warmup: 16, concurrency: 8, durationS: seconds },
    { timeoutMs: 300_000 },
  );
  window = { fromUs: r.fromUs, toUs: r.toUs };
  report.load = r;
}

async function profileUnlink() {
  const APPS = 20;
  const receiverPort = await freePort();
  const callback = `http://127.0.0.1:${receiverPort}/unlink`;
  // ~60 unlinks/s on the shared machine (67/s measured), all the people at once
  const people = Math.max(8, Math.ceil((seconds * 60) / APPS));
  const seeded = await withServices({ ...env, ...OUTBOUND }, async (app) => {
    const owner = await signUp(app, 'unlink-dev');
    const appIds: number[] = [];
    for (let i = 0; i < APPS; i++)
      appIds.push((await createBenchApp(app, owner.id, `Bench Callback App ${i}`, callback)).app_id);
    const sessions = [];
    for (let p = 0; p < people + 2; p++) {
      const me = await signUp(app, `unlink-person-${p}`);
      const links = [];
      // each person starts at a different app, so the people at once do not queue on one app
      for (let k = 0; k < APPS; k++) {
        const appId = appIds[(k + p) % APPS]!;
        const linked = await app.services.connections.agree({
          accountId: me.id,
          appId,
          items: ['profile_nickname'],
        });
        links.push({ appId, userId: linked.appUserId });
      }
      const session = await app.services.sessions.start({ accountId: me.id, remember: true });
      sessions.push({ cookie: `yeon_session=${session.token}`, links });
    }
    return sessions;
  });
  const { url } = await yeon(OUTBOUND);
  const drive = (sessions: typeof seeded) =>
    runJson<{ runs: number[][] }>(
      'bench/load/unlink-load.ts',
      { url, receiverPort, runs: [{ sessions }] },
      { timeoutMs: 300_000 },
    );
  await drive(seeded.slice(0, 2)); // warm-up: 2 people at once, uncounted
  const fromUs = monotonicUs();
  const out = await drive(seeded.slice(2));
  window = { fromUs, toUs: monotonicUs() };
  const samples = out.runs.flat().sort((a, b) => a - b);
  report.load = {
    unlinks: samples.length,
    perS: samples.length / ((window.toUs - window.fromUs) / 1e6),
    p50: samples[Math.floor(samples.length / 2)],
    p99: samples[Math.floor(samples.length * 0.99)],
    people,
    at_once: people,
  };
}

async function profileBurst() {
  const APPS = 10;
  const port = await freePort();
  const appIds = await withServices({ ...env, ...OUTBOUND }, async (app) => {
    const owner = await signUp(app, 'burst-dev');
    const ids: number[] = [];
    for (let i = 0; i < APPS; i++)
      ids.push(
        (await createBenchApp(app, owner.id, `Bench Burst App ${i}`, `http://127.0.0.1:${port}/ok`)).app_id,
      );
    return ids;
  });
  // the backlog, written while yeon is stopped, exactly as the bench's burst writes it
  await enqueuePendingUnlinks(env, appIds, BURST_N);
  const receiver = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'bench/load/burst-receiver.ts'),
      String(port),
      String(BURST_N),
      '300',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const closed = new Promise<void>((r) => receiver.once('close', () => r()));
  await new Promise<void>((resolve, reject) => {
    receiver.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('LISTENING')) resolve();
    });
    receiver.once('close', () => reject(new Error(`receiver ended before listening: ${out}`)));
  });
  // The dispatcher starts with the server; the window opens at the first 200 on /healthz, so
  // the start itself (part 6's profile) stays out of it.
  await yeon(OUTBOUND);
  const fromUs = monotonicUs();
  await closed;
  window = { fromUs, toUs: monotonicUs() };
  const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    count: number;
    first: number;
    last: number;
  };
  if (r.count < BURST_N) throw new Error(`only ${r.count} of ${BURST_N} deliveries arrived`);
  report.load = { delivered: r.count, perS: (r.count * 1000) / (r.last - r.first) };
}

async function profilePage() {
  const APPS = PAGE_APPS;
  const { appIds, sessionToken } = await seedPagePerson(env);
  const cookie = `yeon_session=${sessionToken}`;
  // the smallest database of part 5
  await runJson('bench/seed-connections.ts', null, {
    args: ['--total', '10000', '--apps', appIds.join(',')],
    env,
    timeoutMs: 300_000,
  });
  const { url } = await yeon();
  const spec = {
    url: `${url}/account/connected-services`,
    headers: { cookie, 'accept-language': 'en', accept: 'text/html' },
    connections: 1,
  };
  const html = await (await fetch(spec.url, { headers: spec.headers, redirect: 'manual' })).text();
  const shown = new Set(html.match(/Bench Page App \d+/g)).size;
  if (shown !== APPS) throw new Error(`the page shows ${shown} of the ${APPS} apps`);
  await measuredLoad(spec);
}

async function profileStartup() {
  await withServices(env, (app) => seedBasic(app, 4, 1));
  // a finer sampling interval: a start is one or two seconds
  const started = monotonicUs();
  await yeon({}, [...profArgs, '--cpu-prof-interval=250']);
  // the profile starts with node itself; its window ends at the first 200
  window = { fromUs: started, toUs: started + server!.readyMs * 1000 };
  report.load = { readyMs: server!.readyMs, readyCpuMs: server!.readyCpuMs };
}

try {
  if (what === 'refresh' || what === 'bare' || what === 'me') await profileHttp();
  else if (what === 'login' || what === 'login-post') await profileLogin();
  else if (what === 'unlink') await profileUnlink();
  else if (what === 'burst') await profileBurst();
  else if (what === 'page') await profilePage();
  else await profileStartup();
  await server?.stop();
  report.window = window;
  console.log(JSON.stringify(report));
  // One profile per thread with a JavaScript heap: the main thread's, any worker thread's, and for
  // a script through tsx also its loader's worker thread (idle once the code is loaded).
  const files = readdirSync(profDir)
    .sort()
    .map((f) => path.join(profDir, f));
  for (const f of files) printTop(f, 40, window);
  const keep = process.env.BENCH_PROFILE_KEEP;
  if (keep) {
    mkdirSync(keep, { recursive: true });
    for (const f of files) copyFileSync(f, path.join(keep, `${what}-${database}-${path.basename(f)}`));
  }
} finally {
  await server?.stop();
  await pg?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
