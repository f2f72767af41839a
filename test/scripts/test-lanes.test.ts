/**
 * The lane rules of `npm test` (scripts/run-tests.mjs, scripts/test-lanes.mjs): a lane name it does
 * not know is refused instead of running nothing, and the postgres lane runs the files that load
 * the lane's database, found from the import lines, and says how many it left out.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  DATABASE_MODULE,
  databaseCheck,
  parseArgs,
  runtimeImports,
  selectLane,
  UsageError,
} from '../../scripts/test-lanes.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

function runTests(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts/run-tests.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('run-tests.mjs --lane', () => {
  it('refuses an unknown lane with exit 2 and names the lanes it knows', () => {
    const res = runTests('--lane', 'foo');
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /unknown lane "foo": use sqlite, postgres, browser/);
    assert.doesNotMatch(res.stdout, /===/, 'nothing ran');
  });

  it('refuses --lane without a name', () => {
    const res = runTests('test/modules/outbound/ip-ranges.test.ts', '--lane');
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /--lane needs a value/);
  });

  it('says on the postgres lane how many files it left out and why', () => {
    const res = runTests('--lane', 'postgres', 'test/modules/outbound/ip-ranges.test.ts');
    assert.match(
      res.stdout,
      /postgres lane: 1 file\(s\) left out: they never load test\/helpers\/test-db\.ts/,
    );
    assert.doesNotMatch(res.stdout, /=== postgres lane/, 'nothing to run');
  });

  it('parses repeated lanes, and all three when none is named', () => {
    assert.deepEqual(parseArgs(['--lane', 'sqlite', 'a.test.ts', '--lane', 'browser']), {
      lanes: ['sqlite', 'browser'],
      files: ['a.test.ts'],
    });
    assert.deepEqual(parseArgs([]).lanes, ['sqlite', 'postgres', 'browser']);
    assert.throws(() => parseArgs(['--lane', 'postgresql']), UsageError);
  });
});

describe('which files each lane runs', () => {
  const touches = databaseCheck(ROOT);
  const known = {
    engine: 'test/oidc/engine.test.ts', // buildTestApp
    help: 'test/cli/help.test.ts', // through cli-process.ts, which makes the lane's database
    consent: 'test/interaction/consent.test.ts', // through interaction-fixtures.ts
    pgOnly: 'test/db/connection-loss.postgres.test.ts',
    pure: 'test/modules/outbound/ip-ranges.test.ts',
    sqliteOnly: 'test/db/sqlite-pragmas.test.ts', // its own SQLite file, whatever the lane
    browser: 'test/browser/console.test.ts',
  };
  const files = Object.values(known);

  it('postgres: the files that reach the database module, directly or through fixtures', () => {
    for (const f of files) assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} still exists`);
    const { run, leftOut } = selectLane('postgres', files, touches);
    assert.deepEqual(run, [known.engine, known.help, known.consent, known.pgOnly]);
    assert.deepEqual(leftOut, [known.pure, known.sqliteOnly]);
  });

  it('sqlite: every file but the browser ones and *.postgres.test.ts; browser: its own', () => {
    assert.deepEqual(
      selectLane('sqlite', files, touches).run,
      files.filter((f) => f !== known.pgOnly && f !== known.browser),
    );
    assert.deepEqual(selectLane('browser', files, touches).run, [known.browser]);
  });

  it('reads runtime imports only: `import type` loads nothing', () => {
    const source = [
      "import type { TestDatabase } from './a.ts';",
      "import {\n  createTestDatabase,\n  type TestDatabase,\n} from './b.ts';",
      "export { x } from './c.ts';",
      "import './d.ts';",
      "const m = await import('./e.ts');",
      "import fs from 'node:fs';",
      " * import x from './in-a-comment.ts' (a comment line starts with *)",
    ].join('\n');
    assert.deepEqual(runtimeImports(source), ['./b.ts', './c.ts', './d.ts', './e.ts']);
  });

  it('follows fixtures of fixtures, survives import cycles, and does not count type-only imports', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-lanes-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write(DATABASE_MODULE, 'export const TEST_DB = 1;\n');
    write('test/x/fixture.ts', "import { TEST_DB } from '../helpers/test-db.ts';\n");
    write('test/x/outer.ts', "import './fixture.ts';\nimport './cycle.ts';\n");
    write('test/x/cycle.ts', "import './outer.ts';\n");
    write('test/x/deep.test.ts', "import { f } from './outer.ts';\n");
    write('test/x/types.test.ts', "import type { TestDatabase } from '../helpers/test-db.ts';\n");
    write('test/x/plain.test.ts', "import './cycle-free.ts';\n");
    // b.ts is first met inside a.ts's walk, where the way back to a.ts is cut: still reaches it
    write('test/x/a.ts', "import './b.ts';\nimport './fixture.ts';\n");
    write('test/x/b.ts', "import './a.ts';\n");
    write('test/x/a.test.ts', "import './a.ts';\n");
    write('test/x/b.test.ts', "import './b.ts';\n");
    try {
      const check = databaseCheck(root);
      assert.equal(check('test/x/deep.test.ts'), true);
      assert.equal(check('test/x/types.test.ts'), false);
      assert.equal(check('test/x/plain.test.ts'), false, 'a missing module reaches nothing');
      assert.equal(check('test/x/a.test.ts'), true);
      assert.equal(check('test/x/b.test.ts'), true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
