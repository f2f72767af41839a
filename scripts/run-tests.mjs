#!/usr/bin/env node
/**
 * The README's test command. Runs every test file on each database lane (SQLite, then PostgreSQL),
 * then the browser tests, and ends with one plain line: "N passed, N failed".
 *
 *   npm test                      all lanes
 *   npm test -- --lane sqlite     one lane (sqlite | postgres | browser); repeatable; any other
 *                                 name is refused (exit 2) rather than running nothing
 *   npm test -- test/http/auth.test.ts   only these files (on the chosen lanes)
 *
 * The PostgreSQL lane never skips: if the server is unreachable its tests fail and say why.
 * Files named *.postgres.test.ts run on the postgres lane only. The postgres lane runs only the
 * files that touch the database, and says how many it left out; the rules are in test-lanes.mjs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASE_MODULE, databaseCheck, parseArgs, selectLane, UsageError } from './test-lanes.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
let lanes;
let files;
try {
  ({ lanes, files } = parseArgs(process.argv.slice(2)));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`run-tests: ${err.message}`);
  process.exit(2);
}

function collect(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') collect(p, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(path.relative(root, p));
  }
  return out;
}

const all = [...collect(path.join(root, 'test')), ...collect(path.join(root, 'packages'))].sort();
const chosen = files.length ? files.map((f) => path.relative(root, path.resolve(f))) : all;
const touchesDatabase = databaseCheck(root);

let passed = 0;
let failed = 0;
for (const lane of lanes) {
  const { run: laneFiles, leftOut } = selectLane(lane, chosen, touchesDatabase);
  if (leftOut.length) {
    console.log(
      `\n${lane} lane: ${leftOut.length} file(s) left out: they never load ${DATABASE_MODULE}, ` +
        'so they run exactly as on the sqlite lane',
    );
  }
  if (laneFiles.length === 0) continue;
  const tap = path.join(os.tmpdir(), `yeon-tests-${process.pid}-${lane}.tap`);
  console.log(`\n=== ${lane} lane: ${laneFiles.length} file(s) ===`);
  const env = {
    ...process.env,
    TEST_DB: lane === 'postgres' ? 'postgres' : 'sqlite',
    YEON_LOG_LEVEL: 'silent',
  };
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${lane === 'browser' ? 1 : Math.max(2, os.availableParallelism())}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...laneFiles,
    ],
    { cwd: root, env, stdio: 'inherit' },
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const p = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const f =
    Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) +
    (result.status !== 0 && !/^# fail [1-9]/m.test(text) ? 1 : 0);
  console.log(`${lane} lane: ${p} passed, ${f} failed`);
  passed += p;
  failed += f;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
