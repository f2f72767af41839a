/**
 * `[DATABASE_URL=…] node --import tsx bench/tools/profile.ts <refresh|bare|me|login> [seconds]`: seeds the bench fixture,
 * starts `bin/yeon serve` with `--cpu-prof`, drives one route with autocannon from another process
 * and prints the functions with the most self time (bench/tools/cpuprofile-top.ts).
 */

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PASSWORD, REDIRECT_URI, seedBasic, withServices } from '../lib/fixtures.ts';
import { benchEnv, type Running, runJson, startScript, startYeon } from '../lib/proc.ts';
import { printTop } from './cpuprofile-top.ts';

const [what = 'me', secondsArg = '8'] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(tmpdir(), 'yeon-prof-'));
const profDir = path.join(dataDir, 'prof');
const env = await benchEnv(dataDir);
// DATABASE_URL=postgres://… profiles on that (empty) database instead of a SQLite file
if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
const fixture = await withServices(env, (app) => seedBasic(app, 32, 2000));
const profArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
let tokens = fixture.refreshTokens;
let server: Running;
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
  server = await startYeon(env, profArgs);
}
const spec =
  what === 'refresh' || what === 'bare'
    ? {
        url: `${server.url}/oauth/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        bodies: tokens.map((t) =>
          new URLSearchParams({
            grant_type: 'refresh_token',
            client_id: fixture.clientId,
            refresh_token: t,
          }).toString(),
        ),
      }
    : { url: `${server.url}/v2/user/me`, headers: { authorization: `Bearer ${fixture.accessToken}` } };
if (what === 'login') {
  // the whole login flow of bench part 2 (bench/load/login-load.ts), 8 browsers
  const r = await runJson('bench/load/login-load.ts', {
    url: server.url,
    clientId: fixture.clientId,
    redirectUri: REDIRECT_URI,
    emails: fixture.people.map((p) => p.email),
    password: PASSWORD,
    concurrency: 8,
    serverPid: server.child.pid,
    warmupS: 2,
    durationS: Number(secondsArg),
  });
  console.log(JSON.stringify(r));
} else {
  await runJson('bench/load/http-load.ts', { connections: 10, durationS: 2, ...spec });
  const r = await runJson('bench/load/http-load.ts', {
    connections: 10,
    durationS: Number(secondsArg),
    ...spec,
  });
  console.log(JSON.stringify(r));
}
await server.stop();
// One profile per thread with a JavaScript heap: the main thread's, and for a script through tsx
// also its loader's worker thread (idle once the code is loaded).
const files = readdirSync(profDir)
  .sort()
  .map((f) => path.join(profDir, f));
for (const f of files) printTop(f, 45);
