/**
 * `node --import tsx bench/tools/profile.ts <refresh|bare|me|login> [seconds]`: seeds the bench fixture,
 * starts `bin/yeon serve` with `--cpu-prof`, drives one route with autocannon from another process
 * and prints the functions with the most self time (bench/tools/cpuprofile-top.ts).
 */

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PASSWORD, REDIRECT_URI, seedBasic, withServices } from '../lib/fixtures.ts';
import { freePort, type Running, runJson, startYeon } from '../lib/proc.ts';
import { printTop } from './cpuprofile-top.ts';

const [what = 'me', secondsArg = '8'] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(tmpdir(), 'yeon-prof-'));
const profDir = path.join(dataDir, 'prof');
const port = await freePort();
const env: Record<string, string> = {
  YEON_ENV: 'production',
  YEON_DATA_DIR: dataDir,
  YEON_COOKIE_SECRET: randomBytes(32).toString('hex'),
  YEON_LOG_LEVEL: 'warn',
  YEON_PORT: String(port),
  YEON_ISSUER: `http://127.0.0.1:${port}`,
};
const fixture = await withServices(env, (app) => seedBasic(app, 32, 2000));
const profArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`];
let tokens = fixture.refreshTokens;
let yeon: Running;
if (what === 'bare') {
  // bare oidc-provider (bench/baselines/oidc-bare.ts) under the same load, for comparison
  const tokensFile = path.join(dataDir, 'bare-tokens.json');
  yeon = await startNode('bench/baselines/oidc-bare.ts', [fixture.clientId, '2000', tokensFile], profArgs);
  tokens = JSON.parse(readFileSync(tokensFile, 'utf8')) as string[];
} else {
  yeon = await startYeon(env, profArgs);
}
const spec =
  what === 'refresh' || what === 'bare'
    ? {
        url: `${yeon.url}/oauth/token`,
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
    : { url: `${yeon.url}/v2/user/me`, headers: { authorization: `Bearer ${fixture.accessToken}` } };
if (what === 'login') {
  // the whole login flow of bench part 2 (bench/load/login-load.ts), 8 browsers
  const r = await runJson('bench/load/login-load.ts', {
    url: yeon.url,
    clientId: fixture.clientId,
    redirectUri: REDIRECT_URI,
    emails: fixture.people.map((p) => p.email),
    password: PASSWORD,
    concurrency: 8,
    serverPid: yeon.child.pid,
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
await yeon.stop();
async function startNode(script: string, args: string[], nodeArgs: string[]): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    readyMs: 0,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// bin/yeon may be a parent of the server process: take the biggest profile
const files = readdirSync(profDir).map((f) => path.join(profDir, f));
console.log(files);
for (const f of files) printTop(f, 45);
