/**
 * Which test files run on which lane of scripts/run-tests.mjs, kept apart from the runner so the
 * rules are tested (test/scripts/test-lanes.test.ts) and read in one place.
 *
 * - browser: the files under test/browser/, and only there.
 * - sqlite: every other file except `*.postgres.test.ts` (about PostgreSQL itself).
 * - postgres: the files that touch the lane's database. test/helpers/test-db.ts is the one module
 *   that reads TEST_DB, so a file that never loads it runs exactly as on the sqlite lane and only
 *   costs time on this one. "Loads it" is read from the import lines, followed through the test
 *   side's own modules (fixtures, helpers), so a new test that uses a fixture is picked up without
 *   being listed. `import type` lines load nothing and do not count. ALSO_ON_POSTGRES names the
 *   files that need the lane some other way, each with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LANES = ['sqlite', 'postgres', 'browser'];

/** The module that picks the database from TEST_DB: reaching it is what "touches the database" means. */
export const DATABASE_MODULE = 'test/helpers/test-db.ts';

/** Files that need the postgres lane without loading DATABASE_MODULE: path → why. */
export const ALSO_ON_POSTGRES = new Map();

export class UsageError extends Error {}

/** `--lane <name>` (repeatable) and file paths; no lane means all of them. */
export function parseArgs(args) {
  const lanes = [];
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--lane') {
      files.push(args[i]);
      continue;
    }
    const lane = args[++i];
    if (lane === undefined) throw new UsageError(`--lane needs a value: ${LANES.join(', ')}`);
    if (!LANES.includes(lane)) throw new UsageError(`unknown lane "${lane}": use ${LANES.join(', ')}`);
    lanes.push(lane);
  }
  return { lanes: lanes.length ? lanes : [...LANES], files };
}

const posix = (f) => f.split(path.sep).join('/');
export const isBrowser = (f) => posix(f).startsWith('test/browser/');
export const isPostgresOnly = (f) => /\.postgres\.test\.tsx?$/.test(f);

// `import x from '…'`, `import '…'`, `export … from '…'` (not `import type`/`export type`), `import('…')`
const STATIC = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative specifiers a source loads when it runs. */
export function runtimeImports(source) {
  const out = [];
  for (const m of source.matchAll(STATIC)) if (!m[1]) out.push(m[2]);
  for (const m of source.matchAll(DYNAMIC)) out.push(m[1]);
  return out.filter((s) => s.startsWith('.'));
}

/**
 * `touchesDatabase(file)` for files under `root` (paths relative to it). Only the test side is
 * followed: src/ never loads test/ modules, so walking it would find nothing and take long.
 */
export function databaseCheck(root) {
  const importsOf = new Map();
  const reached = new Set([DATABASE_MODULE]);
  const edges = (rel) => {
    if (!importsOf.has(rel)) {
      let source = '';
      try {
        source = fs.readFileSync(path.join(root, rel), 'utf8');
      } catch {
        // not a file here (a missing module): it loads nothing
      }
      importsOf.set(
        rel,
        runtimeImports(source)
          .map((spec) => posix(path.relative(root, path.resolve(root, path.dirname(rel), spec))))
          .filter((target) => !target.startsWith('src/') && !target.startsWith('..')),
      );
    }
    return importsOf.get(rel);
  };
  // Depth-first with a fresh "seen" per file: only "reaches it" is remembered across files, as a
  // "does not" found inside an import cycle may be cut short and wrong for another file.
  const visit = (rel, seen) => {
    if (reached.has(rel)) return true;
    if (seen.has(rel)) return false;
    seen.add(rel);
    if (!edges(rel).some((target) => visit(target, seen))) return false;
    reached.add(rel);
    return true;
  };
  return (file) => isPostgresOnly(file) || ALSO_ON_POSTGRES.has(posix(file)) || visit(posix(file), new Set());
}

/** The files a lane runs out of `files`, and (postgres only) those it leaves out. */
export function selectLane(lane, files, touchesDatabase) {
  if (lane === 'browser') return { run: files.filter(isBrowser), leftOut: [] };
  const candidates = files.filter((f) => !isBrowser(f) && (lane === 'postgres' || !isPostgresOnly(f)));
  if (lane !== 'postgres') return { run: candidates, leftOut: [] };
  return {
    run: candidates.filter((f) => touchesDatabase(f)),
    leftOut: candidates.filter((f) => !touchesDatabase(f)),
  };
}
