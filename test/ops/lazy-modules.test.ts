/**
 * What a production server on SQLite loads before its first request: not the packages only some
 * requests or setups need (pg on SQLite, the image library, mail, the development mailbox, the
 * password-strength dictionaries). Each is loaded on first use, so cold start and idle memory
 * (bench part 6) pay only for what every instance runs. The common-password list stays loaded at
 * start: loading it inside the first sign-up stalled the event loop long enough, under a burst of
 * sign-ups on a busy machine, for PostgreSQL pool waits to time out (test/http/throttle-concurrency). Most are CommonJS, so Node's module cache names them whether
 * they were imported or required; sharp is found by its native library in the process's mappings.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { cleanEnv, ROOT } from '../cli/cli-process.ts';

const LOADED_ON_FIRST_USE = [
  'pg',
  'sharp',
  'nodemailer',
  'mailparser',
  'smtp-server',
  '@zxcvbn-ts/core',
  // Outbound HTTP loads with the first callback or receipt fetch (src/modules/outbound/undici-loader.ts).
  'undici',
  // Route schemas compile on their route's first request (src/http/api/lazy-schema-compilers.ts).
  'ajv',
  '@fastify/ajv-compiler',
];

const CHILD = `
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const { startServer } = await import('./src/server.ts');
const server = await startServer(process.env);
const res = await server.app.inject({ url: '/healthz' });
const packages = new Set();
for (const file of Object.keys(createRequire(import.meta.url).cache)) {
  const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file.slice(file.lastIndexOf('node_modules/')));
  if (m) packages.add(m[1]);
}
// sharp is an ES module (not in that cache); its native libvips shows in the process's mappings.
if (/libvips|sharp-linux/.test(readFileSync('/proc/self/maps', 'utf8'))) packages.add('sharp');
// Every route's schemas still compile, now that boot no longer proves it.
const compiled = server.app.compileAllSchemas();
const again = server.app.compileAllSchemas();
await server.close();
console.log(JSON.stringify({ status: res.statusCode, packages: [...packages], compiled, again }));
`;

describe('a production server starts without the packages it needs only later', () => {
  it('has loaded none of them when it answers its first request', async (t) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yeon-lazy-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = cleanEnv({
      YEON_ENV: 'production',
      YEON_DATA_DIR: dataDir,
      YEON_ISSUER: 'https://id.example.com',
      YEON_COOKIE_SECRET: 'Vq3n8Zr1-Lk0pWx7_Ty5Bc2Md9Fs4Gh6J',
      YEON_ENCRYPTION_KEY: 'a'.repeat(64),
      YEON_SMTP_URL: 'smtp://127.0.0.1:9',
      YEON_METRICS: 'false',
      YEON_HOST: '127.0.0.1',
      YEON_PORT: '0',
      YEON_LOG_LEVEL: 'silent',
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD],
      { cwd: ROOT, env, timeout: 120_000 },
    );
    const { status, packages, compiled, again } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      status: number;
      packages: string[];
      compiled: number;
      again: number;
    };
    assert.equal(status, 200);
    assert.ok(packages.includes('better-sqlite3'), `the module cache is read: ${packages.join(', ')}`);
    assert.deepEqual(
      LOADED_ON_FIRST_USE.filter((p) => packages.includes(p)),
      [],
      `loaded at start: ${packages.join(', ')}`,
    );
    // The routes' schemas were left to compile later, and all of them do (once).
    assert.ok(compiled > 50, `schemas waiting after the first request: ${compiled}`);
    assert.equal(again, 0);
  });
});
