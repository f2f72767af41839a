/**
 * Generated secrets: created on first start in `<data dir>/secrets.json` with mode 0600,
 * reused afterwards, refused in production.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { resolveSecrets } from '../../src/config/secrets.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-secrets-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('resolveSecrets', () => {
  it('generates secrets.json with mode 0600 on first start and reuses it on restart', (t) => {
    const dataDir = path.join(tempDir(t), 'data');
    const config = loadConfig({ YEON_DATA_DIR: dataDir });
    const first = resolveSecrets(config);
    const file = path.join(dataDir, 'secrets.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(first.generated, true);
    assert.ok(first.cookieSecret.length >= 32);

    const again = resolveSecrets(loadConfig({ YEON_DATA_DIR: dataDir }));
    assert.equal(again.cookieSecret, first.cookieSecret);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).cookieSecret, first.cookieSecret);
  });

  it('uses YEON_COOKIE_SECRET and YEON_ENCRYPTION_KEY when given, and writes no file', (t) => {
    const dataDir = tempDir(t);
    const secret = 'an-operator-chosen-secret-of-40-characters';
    const key = 'ab'.repeat(32);
    const s = resolveSecrets(
      loadConfig({ YEON_DATA_DIR: dataDir, YEON_COOKIE_SECRET: secret, YEON_ENCRYPTION_KEY: key }),
    );
    assert.equal(s.cookieSecret, secret);
    assert.equal(s.generated, false);
    assert.deepEqual(s.keyring.current.key, Buffer.from(key, 'hex'));
    assert.equal(fs.existsSync(path.join(dataDir, 'secrets.json')), false);
  });

  it('refuses generated secrets in production, naming YEON_COOKIE_SECRET', (t) => {
    const dataDir = tempDir(t);
    const config = loadConfig({
      YEON_ENV: 'production',
      YEON_ISSUER: 'https://id.example.com',
      YEON_DATA_DIR: dataDir,
    });
    assert.throws(
      () => resolveSecrets(config),
      (err) => err instanceof ConfigError && err.variable === 'YEON_COOKIE_SECRET',
    );
    assert.equal(fs.existsSync(path.join(dataDir, 'secrets.json')), false);
  });

  it('refuses a secrets.json left from development in production', (t) => {
    const dataDir = tempDir(t);
    resolveSecrets(loadConfig({ YEON_DATA_DIR: dataDir }));
    const prod = loadConfig({
      YEON_ENV: 'production',
      YEON_ISSUER: 'https://id.example.com',
      YEON_DATA_DIR: dataDir,
    });
    assert.throws(() => resolveSecrets(prod), ConfigError);
  });

  it('names the data folder when secrets.json is damaged', (t) => {
    const dataDir = tempDir(t);
    fs.writeFileSync(path.join(dataDir, 'secrets.json'), '{"cookieSecret":"short"}', { mode: 0o600 });
    assert.throws(
      () => resolveSecrets(loadConfig({ YEON_DATA_DIR: dataDir })),
      (err) => err instanceof ConfigError && err.variable === 'YEON_DATA_DIR',
    );
  });
});
