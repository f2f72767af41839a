#!/usr/bin/env node
/**
 * Restores package-lock.json entries for Biome's platform binaries that the npm registry reachable
 * from our machines does not serve. `npm install` silently leaves such optional packages out of the
 * lock, and `npm ci` then refuses the lock ("Missing: @biomejs/cli-darwin-arm64@ from lock file",
 * npm/cli#9846). The entries carry no integrity: they never install on linux-glibc, so they are
 * never fetched. Run it after regenerating the lock from scratch; it is a no-op otherwise.
 *
 *   node scripts/fix-lockfile.mjs
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const file = path.join(root, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const biome = lock.packages['node_modules/@biomejs/biome'];
if (!biome) throw new Error('package-lock.json has no @biomejs/biome');

let added = 0;
for (const name of Object.keys(biome.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const m = /cli-(\w+)-(\w+?)(?:-(musl))?$/.exec(name);
  if (!m) throw new Error(`unexpected Biome platform package ${name}`);
  const [, os, cpu, libc] = m;
  lock.packages[key] = {
    version: biome.optionalDependencies[name],
    cpu: [cpu],
    dev: true,
    ...(libc ? { libc: [libc] } : {}),
    license: 'MIT OR Apache-2.0',
    optional: true,
    os: [os],
    engines: { node: '>=14.21.3' },
  };
  added++;
}
// npm keeps `packages` sorted by path, the root ('') first.
const sorted = Object.keys(lock.packages).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1));
lock.packages = Object.fromEntries(sorted.map((k) => [k, lock.packages[k]]));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} Biome platform entr${added === 1 ? 'y' : 'ies'} added`);
