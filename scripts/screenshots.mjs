#!/usr/bin/env node
/**
 * Regenerates the README's screenshots, on purpose. A test run never writes into the repository
 * (its screenshots go to artifacts/screenshots/, which git ignores); this script runs the same
 * first-run browser walkthrough (test/browser/first-run.test.ts, against `scripts/start.mjs`)
 * with YEON_SCREENSHOTS_DIR pointing at docs/screenshots/, so the pictures the README shows are
 * the ones a passing walkthrough took. Review the changed PNGs before committing them.
 *
 *   node scripts/screenshots.mjs            → docs/screenshots/first-run-<locale>-[blog-]<n>-<step>.png
 *   node scripts/screenshots.mjs <folder>   → the same files in another folder
 *
 * Needs what the browser lane needs: Debian's Chromium at /usr/bin/chromium (and a Korean font for
 * legible Korean pages). Exits with the test run's status: a failed walkthrough is no screenshot.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const folder = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'screenshots'));

console.log(`Screenshots: ${path.relative(root, folder) || '.'}/`);
const result = spawnSync(
  process.execPath,
  [path.join(root, 'scripts', 'run-tests.mjs'), '--lane', 'browser', 'test/browser/first-run.test.ts'],
  { cwd: root, env: { ...process.env, YEON_SCREENSHOTS_DIR: folder }, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
