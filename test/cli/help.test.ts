/**
 * `yeon --help` on every command, and configuration errors that stop the process with a message
 * naming the variable.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

describe('yeon --help', { concurrency: true }, () => {
  const cases: Array<[string[], RegExp[]]> = [
    [['--help'], [/Usage: yeon/, /\bserve\b/, /\bmigrate\b/, /\buser\b/]],
    [
      ['serve', '--help'],
      [/Usage: yeon serve/, /--port/],
    ],
    [['migrate', '--help'], [/Usage: yeon migrate/]],
    [
      ['user', '--help'],
      [/Usage: yeon user/, /\bcreate\b/],
    ],
    [
      ['user', 'create', '--help'],
      [/Usage: yeon user create/, /--email/, /--password/, /--nickname/, /--json/],
    ],
  ];
  for (const [args, patterns] of cases) {
    it(`yeon ${args.join(' ')} prints usage and exits 0`, async () => {
      const res = await run(args, {});
      assert.equal(res.code, 0, res.stderr);
      for (const p of patterns) assert.match(res.stdout, p);
    });
  }

  it('refuses an unknown command with a non-zero exit', async () => {
    const res = await run(['frobnicate'], {});
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /unknown command/i);
  });
});

describe('configuration errors', { concurrency: true }, () => {
  it('yeon serve with YEON_PORT=abc exits non-zero and names YEON_PORT', async () => {
    const res = await run(['serve'], { YEON_PORT: 'abc' });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_PORT/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, 'one clear line, not a stack trace');
  });

  it('yeon serve --port abc is refused the same way', async () => {
    const res = await run(['serve', '--port', 'abc'], {});
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_PORT/);
  });

  it('yeon migrate with a bad DATABASE_URL names DATABASE_URL', async () => {
    const res = await run(['migrate'], { DATABASE_URL: 'mysql://root:pw@localhost/x' });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /DATABASE_URL/);
  });

  it('yeon serve in production refuses generated secrets and names YEON_COOKIE_SECRET', async (t) => {
    const { env, dataDir } = await laneEnv(t);
    const res = await run(['serve'], {
      ...env,
      YEON_ENV: 'production',
      YEON_ISSUER: 'https://id.example.com',
    });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_COOKIE_SECRET/);
    assert.equal(fs.existsSync(path.join(dataDir, 'secrets.json')), false);
  });

  it('yeon serve in production refuses a plain-http public issuer and names YEON_ISSUER', async () => {
    const res = await run(['serve'], {
      YEON_ENV: 'production',
      YEON_ISSUER: 'http://id.example.com',
      YEON_COOKIE_SECRET: 'an-operator-chosen-secret-of-40-characters',
    });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_ISSUER/);
  });
});
