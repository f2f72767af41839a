/**
 * Which code `bin/yeon` runs (docs/decisions/0003): the build in dist/ (`npm run build`) when it is
 * at least as new as every input, otherwise the TypeScript sources through tsx, so an edit to src/
 * is never shadowed by a stale build. Plain JavaScript: bin/yeon loads this before any transpiler.
 *
 * "Newer" is decided against the build's own record of when it started reading the sources
 * (dist/build.json), not the bundle's mtime: a file saved while esbuild was running is then still
 * newer than the build. Directories count too, so deleting or renaming a source file makes the
 * build stale. An input counts as newer up to MTIME_SLACK_MS before the record, for file systems
 * that store coarse timestamps (a save during the build may carry an mtime a second or two early);
 * scripts/build.mjs waits out that slack after a recent edit, so its build is fresh when it ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
export const DIST_DIR = 'dist';
/** The bundle; it exports `runCli(argv)` like src/cli/main.ts. */
export const DIST_ENTRY = 'yeon.mjs';
/** Written last by scripts/build.mjs: `{ "sourcesReadAt": <epoch ms> , … }`. */
export const BUILD_RECORD = 'build.json';
/**
 * Everything the bundle is made from. The packages it bundles change only with package-lock.json
 * (npm ci, npm install), so the lockfile stands for node_modules.
 */
export const BUILD_INPUTS = [
  'src',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'scripts/build.mjs',
];
export const MTIME_SLACK_MS = 2000;

/**
 * Packages the bundle leaves in node_modules (scripts/build.mjs bundles the rest of what starts
 * with it): native addons, packages that find files beside themselves at run time (piscina its
 * worker script, Swagger UI its static files), and those loaded on first use (docs/decisions/0007),
 * which a dynamic `import()` keeps out of the bundle regardless.
 */
export const KEPT_EXTERNAL = new Set([
  'better-sqlite3',
  '@node-rs/argon2',
  'piscina',
  'sharp',
  'pg',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'nodemailer',
  'smtp-server',
  'mailparser',
]);

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export const packageOf = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

/** Latest mtime (ms) of a file, or of a directory and everything under it. */
function newestMtime(p) {
  const stat = fs.statSync(p);
  let newest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** The most recently modified input: `{ input, mtimeMs }` (input is one of BUILD_INPUTS). */
export function newestInput(root = ROOT) {
  let newest = { input: BUILD_INPUTS[0], mtimeMs: 0 };
  for (const input of BUILD_INPUTS) {
    const p = path.join(root, input);
    if (!fs.existsSync(p)) continue;
    const mtimeMs = newestMtime(p);
    if (mtimeMs > newest.mtimeMs) newest = { input, mtimeMs };
  }
  return newest;
}

/**
 * `{ entry }`: the absolute path of a fresh bundle; `{ entry: undefined, reason }` when the sources
 * must run instead (no build, unreadable record, or an input changed since the build read it).
 */
export function freshDist(root = ROOT) {
  const dir = path.join(root, DIST_DIR);
  let record;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dir, BUILD_RECORD), 'utf8'));
  } catch {
    return { entry: undefined, reason: 'no build in dist/ (npm run build)' };
  }
  const entry = path.join(dir, DIST_ENTRY);
  if (typeof record?.sourcesReadAt !== 'number' || !fs.existsSync(entry)) {
    return { entry: undefined, reason: 'dist/ holds no complete build (npm run build)' };
  }
  const newest = newestInput(root);
  if (newest.mtimeMs >= record.sourcesReadAt - MTIME_SLACK_MS) {
    return { entry: undefined, reason: `${newest.input} changed after the build in dist/ (npm run build)` };
  }
  return { entry, reason: `dist/ built ${new Date(record.sourcesReadAt).toISOString()}` };
}

/**
 * The sources run when asked (`YEON_FROM_SOURCE=1`) and under `node --test` (its runner sets
 * NODE_TEST_CONTEXT for every test file and their children): tests and CI test the sources.
 */
export function sourcesRequested(env = process.env) {
  if (env.YEON_FROM_SOURCE === '1') return 'YEON_FROM_SOURCE=1';
  if (env.NODE_TEST_CONTEXT) return 'running under node --test';
  return undefined;
}

/** What bin/yeon will run: `{ mode: 'dist' | 'source', entry?, reason }`. */
export function yeonRuns(env = process.env, root = ROOT) {
  const asked = sourcesRequested(env);
  if (asked) return { mode: 'source', entry: undefined, reason: asked };
  const dist = freshDist(root);
  return dist.entry ? { mode: 'dist', ...dist } : { mode: 'source', ...dist };
}
