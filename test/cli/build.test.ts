/**
 * The production build (docs/decisions/0003): `bin/yeon` runs dist/ only while it
 * is at least as new as every source, and the bundle serves what the sources serve (its pages read
 * their CSS beside the sources, Swagger UI its files from node_modules, the OAuth engine its keys).
 * Everything else in the suite runs the sources; this file is what covers the bundle itself.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  freshDist,
  KEPT_EXTERNAL,
  packageOf,
  sourcesRequested,
  yeonRuns,
} from '../../scripts/dist-entry.mjs';
import { cleanEnv, laneEnv, ROOT } from './cli-process.ts';

const LIMIT_MS = 180_000;

/** A fake project: src/ with a nested file, package.json, tsconfig.json; all mtimes one minute ago. */
function fakeProject(t: { after(fn: () => void): void }) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-dist-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'src/sub'), { recursive: true });
  for (const f of ['src/main.ts', 'src/sub/page.ts', 'package.json', 'tsconfig.json'])
    fs.writeFileSync(path.join(root, f), '{}');
  const minuteAgo = new Date(Date.now() - 60_000);
  for (const p of ['src/sub/page.ts', 'src/main.ts', 'src/sub', 'src', 'package.json', 'tsconfig.json'])
    fs.utimesSync(path.join(root, p), minuteAgo, minuteAgo);
  const build = (sourcesReadAt: number) => {
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist/yeon.mjs'), 'export {}');
    fs.writeFileSync(path.join(root, 'dist/build.json'), JSON.stringify({ sourcesReadAt }));
  };
  return { root, build };
}

describe('which code bin/yeon runs', () => {
  it('runs dist/ only while no input changed after the build read the sources', (t) => {
    const { root, build } = fakeProject(t);
    assert.equal(freshDist(root).entry, undefined, 'no build yet');
    build(Date.now() - 30_000);
    assert.equal(freshDist(root).entry, path.join(root, 'dist/yeon.mjs'));

    fs.writeFileSync(path.join(root, 'src/sub/page.ts'), '{"edited":true}');
    assert.equal(freshDist(root).entry, undefined, 'an edited source');
    assert.match(freshDist(root).reason, /^src changed after the build/);

    const minuteAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'src/sub/page.ts'), minuteAgo, minuteAgo);
    assert.ok(freshDist(root).entry, 'the edit is older than the build again');
    // A deleted source changes only its folder's mtime.
    fs.rmSync(path.join(root, 'src/sub/page.ts'));
    assert.equal(freshDist(root).entry, undefined, 'a deleted source');
  });

  it('treats a half-written or unreadable build as no build', (t) => {
    const { root, build } = fakeProject(t);
    build(Date.now() + 60_000);
    fs.writeFileSync(path.join(root, 'dist/build.json'), '{"sourcesReadAt":');
    assert.equal(freshDist(root).entry, undefined);
    build(Date.now() + 60_000);
    fs.rmSync(path.join(root, 'dist/yeon.mjs'));
    assert.equal(freshDist(root).entry, undefined);
  });

  it('runs the sources under node --test and with YEON_FROM_SOURCE=1, even with a fresh build', (t) => {
    const { root, build } = fakeProject(t);
    build(Date.now() + 60_000);
    assert.equal(yeonRuns({}, root).mode, 'dist');
    assert.equal(yeonRuns({ YEON_FROM_SOURCE: '1' }, root).mode, 'source');
    assert.equal(yeonRuns({ NODE_TEST_CONTEXT: 'child-v8' }, root).mode, 'source');
    assert.ok(sourcesRequested(process.env), 'this file runs under node --test');
  });
});

describe('the bundle from scripts/build.mjs', () => {
  it('builds, and its `yeon serve` answers like the sources: health, pages with their CSS, API docs, OIDC', async (t) => {
    // Inside the repository (externals resolve from node_modules above the bundle); git-ignored.
    const outDir = path.join(ROOT, 'node_modules/.cache', `yeon-build-test-${process.pid}`);
    t.after(() => fs.rmSync(outDir, { recursive: true, force: true }));
    const built = await runNode([path.join(ROOT, 'scripts/build.mjs'), '--outdir', outDir], {});
    assert.equal(built.code, 0, built.stderr);
    const record = JSON.parse(fs.readFileSync(path.join(outDir, 'build.json'), 'utf8'));
    assert.equal(typeof record.sourcesReadAt, 'number');

    // The packages that start with yeon are inside the bundle: what it still imports or requires
    // from node_modules is Node's own or one of the kept-external packages (docs/decisions/0007).
    const bundle = fs.readFileSync(path.join(outDir, 'yeon.mjs'), 'utf8');
    const loaded = new Set<string>();
    for (const m of bundle.matchAll(/^import (?:[^;]*? from )?"([^"]+)";|__require\("([^"]+)"\)/gm)) {
      const specifier = (m[1] ?? m[2])!;
      if (!specifier.startsWith('node:')) loaded.add(packageOf(specifier));
    }
    const unexpected = [...loaded].filter((p) => !KEPT_EXTERNAL.has(p) && !builtinModules.includes(p));
    assert.deepEqual(unexpected, [], 'packages loaded from node_modules at start');
    assert.match(bundle, /__name\([\w$]+, ?"Kysely"\)/, 'Kysely is bundled');
    // One character above U+00FF would make V8 keep the whole source as two-byte text.
    assert.equal(/[\u0100-\uffff]/.exec(bundle)?.[0], undefined, 'the bundle is one-byte text');

    const { env } = await laneEnv(t);
    // The bundle exports runCli like src/cli/main.ts; argv as bin/yeon would pass it.
    const runner =
      'const { runCli } = await import(process.argv[1]); await runCli([process.argv0, "yeon", ...process.argv.slice(2)]);';
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', runner, path.join(outDir, 'yeon.mjs'), 'serve'],
      {
        cwd: ROOT,
        env: cleanEnv({ ...env, YEON_PORT: '0', YEON_HOST: '127.0.0.1', YEON_LOG_LEVEL: 'info' }),
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    t.after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let port: number | undefined;
    for (let i = 0; i < LIMIT_MS / 50 && port === undefined && child.exitCode === null; i++) {
      const m = /"msg":"yeon is listening on http:\/\/localhost:(\d+)/.exec(stdout);
      if (m) port = Number(m[1]);
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(port, `the bundle did not start.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    const base = `http://127.0.0.1:${port}`;

    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const signup = await fetch(`${base}/signup`, { headers: { accept: 'text/html' } });
    assert.equal(signup.status, 200);
    assert.match(await signup.text(), /<form method="post" action="\/signup"/);
    for (const [url, file] of [
      ['/assets/yeon.css', 'src/views/assets/yeon.css'],
      ['/assets/console.css', 'src/views/pages/console/console.css'],
      ['/assets/connected.css', 'src/views/pages/connected/connected.css'],
    ] as const) {
      const css = await fetch(`${base}${url}`);
      assert.equal(css.status, 200, url);
      assert.equal(await css.text(), fs.readFileSync(path.join(ROOT, file), 'utf8'), url);
    }
    const docs = await fetch(`${base}/docs/json`);
    assert.equal(docs.status, 200);
    const paths = Object.keys(((await docs.json()) as { paths: object }).paths);
    assert.ok(
      paths.some((p) => p.startsWith('/api/v1/apps')),
      paths.join(' '),
    );
    const ui = await fetch(`${base}/docs/static/swagger-ui-bundle.js`);
    assert.equal(ui.status, 200);
    await ui.arrayBuffer();
    const discovery = await fetch(`${base}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    assert.equal(((await discovery.json()) as { jwks_uri: string }).jwks_uri.endsWith('/jwks.json'), true);
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    assert.ok(jwks.keys.length >= 1);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);

    // A password hash runs on the worker threads piscina starts from its own file in node_modules.
    const created = await runNode(
      [
        '--input-type=module',
        '-e',
        runner,
        path.join(outDir, 'yeon.mjs'),
        'user',
        'create',
        '--email',
        'bundle@example.com',
        '--password',
        'bundle horse battery staple',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /"email": ?"bundle@example.com"/);
  });
});

function runNode(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(env), timeout: LIMIT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
