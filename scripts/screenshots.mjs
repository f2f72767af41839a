#!/usr/bin/env node
/**
 * Regenerates the README's screenshots, on purpose. A test run never writes into the repository
 * (its screenshots go to artifacts/screenshots/, which git ignores); this script runs the
 * first-run browser walkthrough (test/browser/first-run.test.ts, against `scripts/start.mjs`) and
 * the accessibility test (test/browser/accessibility.test.ts: every account holder's page, Korean
 * on a 360 px phone and English at 1280 px) with YEON_SCREENSHOTS_DIR pointing at
 * docs/screenshots/, so the pictures the README shows are the ones passing tests took. Then it
 * re-encodes each PNG with a palette (sharp) so the repository stays small. Review the changed
 * PNGs before committing them.
 *
 *   node scripts/screenshots.mjs            → docs/screenshots/first-run-<locale>-[blog-]<n>-<step>.png
 *                                             docs/screenshots/a11y-<locale>-<width>-<page>.png
 *   node scripts/screenshots.mjs <folder>   → the same files in another folder
 *
 * Needs what the browser lane needs: Debian's Chromium at /usr/bin/chromium (and a Korean font for
 * legible Korean pages). Exits with the test run's status: a failed walkthrough is no screenshot.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const folder = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'screenshots'));

console.log(`Screenshots: ${path.relative(root, folder) || '.'}/`);
const result = spawnSync(
  process.execPath,
  [
    path.join(root, 'scripts', 'run-tests.mjs'),
    '--lane',
    'browser',
    'test/browser/first-run.test.ts',
    'test/browser/accessibility.test.ts',
  ],
  { cwd: root, env: { ...process.env, YEON_SCREENSHOTS_DIR: folder }, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);

// A palette PNG of a text page is a fraction of the size and looks the same.
for (const name of fs.readdirSync(folder).filter((f) => f.endsWith('.png'))) {
  const file = path.join(folder, name);
  const smaller = await sharp(file).png({ palette: true, quality: 90, effort: 10 }).toBuffer();
  if (smaller.length < fs.statSync(file).size) fs.writeFileSync(file, smaller);
}
