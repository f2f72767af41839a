#!/usr/bin/env node
/**
 * `npm run build`: bundles src/ (entry src/cli/main.ts) into dist/yeon.mjs with esbuild, which
 * bin/yeon then runs instead of transpiling every source file through tsx at each start
 * (docs/decisions/0003: cold start and idle memory). The packages it imports at start are bundled
 * too (Node resolving and compiling ~1,500 package files was most of a start); those listed in
 * KEPT_EXTERNAL, and whatever is loaded on first use (`import()`, `createRequire`), load from
 * node_modules at run time.
 * `npm start`, `npm run serve` and `npm run bench` build first; tests always run the sources.
 *
 *   node scripts/build.mjs                    → dist/ (replaced whole, never half-written)
 *   node scripts/build.mjs --outdir <dir>     → another folder inside the repository (tests)
 *
 * Output: yeon.mjs, yeon.mjs.map (run with NODE_OPTIONS=--enable-source-maps for TypeScript
 * positions in stack traces) and build.json, the record bin/yeon checks freshness against
 * (scripts/dist-entry.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import {
  BUILD_RECORD,
  DIST_DIR,
  DIST_ENTRY,
  freshDist,
  KEPT_EXTERNAL,
  MTIME_SLACK_MS,
  newestInput,
  packageOf,
  ROOT,
} from './dist-entry.mjs';

const args = process.argv.slice(2);
const outArg = args.indexOf('--outdir') >= 0 ? args[args.indexOf('--outdir') + 1] : undefined;
const outDir = path.resolve(ROOT, outArg ?? DIST_DIR);
if (path.relative(ROOT, outDir).startsWith('..')) {
  // Externals resolve from the bundle's folder upwards: outside the repository there is no node_modules.
  throw new Error(`--outdir must be inside ${ROOT}`);
}

/** Bundles what a static import or a CommonJS `require` reaches, except KEPT_EXTERNAL. */
const bundleStartupPackages = {
  name: 'bundle-startup-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./#]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      if (args.kind === 'dynamic-import' || KEPT_EXTERNAL.has(packageOf(args.path)))
        return { external: true };
      return undefined;
    });
  },
};

/**
 * A module's `import.meta.url` names the bundle once bundled, so relative file URLs built from it
 * (the pages read their CSS next to their sources) would miss. Each source file's `import.meta.url`
 * becomes its own location again, relative to the bundle, so the bundle still works if the
 * repository moves.
 */
const sourceImportMetaUrl = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, async (file) => {
      const text = await fs.promises.readFile(file.path, 'utf8');
      if (/import\.meta\.(dirname|filename)/.test(text)) {
        throw new Error(`${file.path}: use new URL(…, import.meta.url); the bundle rewrites only that`);
      }
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = path.relative(outDir, file.path).split(path.sep).join('/');
      return {
        contents: text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
        ),
        loader: file.path.endsWith('.tsx') ? 'tsx' : 'ts',
      };
    });
  },
};

// Build beside the target and swap it in, so a concurrent `bin/yeon` sees the old build or the new
// one, never a half-written folder (while the folder is absent it runs the sources).
const tmpDir = `${outDir}.tmp-${process.pid}`;
const oldDir = `${outDir}.old-${process.pid}`;
fs.rmSync(tmpDir, { recursive: true, force: true });
// bin/yeon counts an input as changed up to MTIME_SLACK_MS before the record (coarse timestamps):
// after an edit that recent (edit, then npm start), wait it out so that this build is fresh.
const newest = newestInput(ROOT);
const wait = newest.mtimeMs + MTIME_SLACK_MS - Date.now();
if (!outArg && wait > 0 && wait <= MTIME_SLACK_MS) await new Promise((r) => setTimeout(r, wait + 10));
// Taken before esbuild reads anything: a source saved during the build is newer than the record.
const sourcesReadAt = Date.now();
const started = performance.now();
try {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    outfile: path.join(tmpDir, DIST_ENTRY),
    bundle: true,
    platform: 'node',
    // Bundled CommonJS packages (fastify, undici, commander) call require() for Node's own modules.
    banner: {
      js: "import { createRequire as yeonCreateRequire } from 'node:module'; const require = yeonCreateRequire(import.meta.url);",
    },
    format: 'esm',
    target: 'node20',
    // Fastify and avvio name plugins after their functions; renaming on collisions must not change them.
    keepNames: true,
    // Whitespace and comments out: V8 keeps a script's whole source in memory, and package comments
    // carry characters above U+00FF that would make it keep all of it as two-byte text. The names
    // stay; yeon.mjs.map gives positions (NODE_OPTIONS=--enable-source-maps).
    minifyWhitespace: true,
    charset: 'ascii',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [bundleStartupPackages, sourceImportMetaUrl],
  });
  const record = { sourcesReadAt, esbuild: esbuild.version, node: process.version };
  fs.writeFileSync(path.join(tmpDir, BUILD_RECORD), `${JSON.stringify(record, null, 2)}\n`);
  if (fs.existsSync(outDir)) fs.renameSync(outDir, oldDir);
  fs.renameSync(tmpDir, outDir);
  fs.rmSync(oldDir, { recursive: true, force: true });
} catch (err) {
  fs.rmSync(tmpDir, { recursive: true, force: true });
  throw err;
}
const size = fs.statSync(path.join(outDir, DIST_ENTRY)).size;
process.stderr.write(
  `built ${path.relative(ROOT, path.join(outDir, DIST_ENTRY))} (${Math.round(size / 1024)} KB) ` +
    `in ${Math.round(performance.now() - started)} ms\n`,
);
if (!outArg) {
  // Say so when bin/yeon will not use it: a source saved meanwhile, or an mtime in the future.
  const check = freshDist(ROOT);
  if (!check.entry) process.stderr.write(`bin/yeon will run the sources through tsx: ${check.reason}\n`);
}
