/**
 * Per-statement SQLite figures for a profile: `NODE_OPTIONS=--import=./bench/tools/sqlite-statement-stats.mjs
 * node --import tsx bench/tools/profile.ts <mode> [seconds]`. Inside `yeon serve` only (the seeding
 * and load processes load it too and do nothing), it times every better-sqlite3 `all`/`get`/`run`
 * by SQL text and counts `prepare` calls, and at exit writes the texts by total time, with runs and
 * µs per run, to `$BENCH_SQL_STATS_DIR` (default the OS temp dir) as sqlite-stats-<pid>.txt.
 * A CPU profile cannot say which statement its SQLite time belongs to: Kysely's connection mutex
 * breaks the stack between the caller and the driver. Timing adds ~1 µs per statement, and a
 * shared machine stretches every figure, so read them against each other.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

if (process.argv.includes('serve')) {
  // yeon serve runs with the repository as its working directory
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const Database = require('better-sqlite3');
  const prepare = Database.prototype.prepare;
  const prepares = new Map();
  const runs = new Map();
  let patched = false;
  Database.prototype.prepare = function (sql) {
    prepares.set(sql, (prepares.get(sql) ?? 0) + 1);
    const statement = prepare.call(this, sql);
    if (!patched) {
      patched = true;
      const proto = Object.getPrototypeOf(statement);
      for (const method of ['all', 'get', 'run']) {
        const original = proto[method];
        proto[method] = function (...args) {
          const t0 = process.hrtime.bigint();
          try {
            return original.apply(this, args);
          } finally {
            const r = runs.get(this.source) ?? { n: 0, ns: 0n };
            r.n += 1;
            r.ns += process.hrtime.bigint() - t0;
            runs.set(this.source, r);
          }
        };
      }
    }
    return statement;
  };
  process.on('exit', () => {
    const oneLine = (s) => s.replace(/\s+/g, ' ').trim();
    const byTime = [...runs].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 40);
    const lines = byTime.map(
      ([sql, r]) =>
        `${r.n}\t${(Number(r.ns) / 1e6).toFixed(1)} ms\t${(Number(r.ns) / 1e3 / r.n).toFixed(1)} µs/run\t${oneLine(sql).slice(0, 600)}`,
    );
    const texts = prepares.size;
    const once = [...prepares.values()].filter((n) => n === 1).length;
    writeFileSync(
      path.join(process.env.BENCH_SQL_STATS_DIR ?? tmpdir(), `sqlite-stats-${process.pid}.txt`),
      `${texts} texts reached better-sqlite3's prepare (misses of yeon's statement cache), ${once} of them once; a text with values inline is a new text each time\n\nruns\ttotal\tper run\tsql\n${lines.join('\n')}\n`,
    );
  });
}
