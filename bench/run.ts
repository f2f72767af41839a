/**
 * `npm run bench [-- --db postgres] [-- --only 1,3,6]`: starts yeon as a child process on a free
 * loopback port and measures the figures of bench/README.md, each the median of 3 runs beside a baseline
 * measured in the same run (bench/README.md explains how to read the table). Prints a Markdown
 * table and the JSON written to bench/results/latest.json. A run with any error is not a figure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { seedBasic, withServices } from './lib/fixtures.ts';
import { createPostgresDatabase } from './lib/postgres.ts';
import { benchEnv, ROOT } from './lib/proc.ts';
import { type Figure, markdownTable, WHY_MISSED } from './lib/stats.ts';
import { benchBurst } from './parts/burst.ts';
import { benchRefresh, benchStartup, benchUserMe, type Ctx } from './parts/http-parts.ts';
import { benchLogins } from './parts/logins.ts';
import { benchPage } from './parts/page.ts';
import { benchSustain } from './parts/sustain.ts';
import { benchUnlink } from './parts/unlink.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dbKind = arg('--db') === 'postgres' ? 'postgres' : 'sqlite';
const only = new Set((arg('--only') ?? '1,2,3,4,5,6').split(','));

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  db: dbKind,
};
const machineLine = `${machine.cores} cores, ${machine.cpu}, Node ${machine.node}, ${machine.platform}, database ${dbKind}`;
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
log(machineLine);
// How busy the machine was before the bench added its own load: a 1-minute load average near the
// core count or above means other work shared the cores (compare ratios, not absolute figures).
const loadAtStart = Number(loadavg()[0]!.toFixed(2));

const dataDir = mkdtempSync(path.join(tmpdir(), 'yeon-bench-'));
const env = await benchEnv(dataDir);
const pg = dbKind === 'postgres' ? await createPostgresDatabase() : undefined;
if (pg) env.DATABASE_URL = pg.url;

const figures: Figure[] = [];
const started = Date.now();
try {
  log('seeding the basic fixture');
  const fixture = await withServices(env, (app) => seedBasic(app, 32, 2000));
  const ctx: Ctx = { env, fixture, log, dataDir, dbKind };
  const parts: Array<[string, () => Promise<Figure[]>]> = [
    ['6', () => benchStartup(ctx)],
    ['1', () => benchRefresh(ctx)],
    ['3', () => benchUserMe(ctx)],
    ['2', () => benchLogins(ctx)],
    ['4', () => benchUnlink(ctx)],
    ['4', () => benchBurst(ctx)],
    ['4', () => benchSustain(ctx)],
    ['5', () => benchPage(ctx)],
  ];
  for (const [id, run] of parts) {
    if (!only.has(id)) continue;
    const t0 = Date.now();
    log(`part ${id}…`);
    try {
      figures.push(...(await run()));
    } catch (err) {
      log(`part ${id} failed: ${(err as Error).stack}`);
      figures.push({
        part: id,
        name: `part ${id}`,
        unit: '',
        target: '—',
        note: `failed: ${(err as Error).message.slice(0, 200)}`,
      });
    }
    log(`part ${id} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await pg?.drop();
}

figures.sort((a, b) => a.part.localeCompare(b.part));
for (const f of figures) if (f.met === false) f.note = f.note ? `${f.note}; ${WHY_MISSED}` : WHY_MISSED;
const date = new Date().toISOString();
const table = markdownTable(figures);
const loadLine = `1-minute load average ${loadAtStart} when it started`;
const result = {
  date,
  machine,
  machineLine,
  loadAverageAtStart: loadAtStart,
  durationS: Math.round((Date.now() - started) / 1000),
  figures,
};
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  path.join(ROOT, 'bench/results/latest.md'),
  `Measured ${date} on ${machineLine}; ${loadLine}; ${result.durationS} s.\n\n${table}\n`,
);
process.stdout.write(
  `\nMeasured ${date} on ${machineLine}; ${loadLine}; ${result.durationS} s.\n\n${table}\n\n`,
);
process.stdout.write(`${JSON.stringify(result)}\n`);
