/**
 * loadConfig: one schema, validated at boot; every error names the variable;
 * embedded defaults; production refuses plain-http issuers other than localhost.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`loadConfig(${JSON.stringify(env)}) should have failed`);
}

describe('loadConfig', () => {
  it('uses the embedded defaults: port 8080, ./data, a SQLite file in it, issuer http://localhost:8080', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.env, 'development');
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.deepEqual(c.database, { kind: 'sqlite', file: path.join(path.resolve('./data'), 'yeon.db') });
    assert.equal(c.issuer, 'http://localhost:8080');
    assert.equal(c.secureCookies, false);
    assert.equal(c.defaultLocale, 'ko');
    assert.equal(c.platformName, 'yeon');
    assert.equal(c.sessionTtlMs, 24 * 3_600_000);
    assert.equal(c.sessionRememberMs, 30 * 86_400_000);
    assert.deepEqual(c.login, { maxFailures: 5, windowMs: 15 * 60_000, signupsPerIp: 20 });
  });

  it('derives the SQLite file from YEON_DATA_DIR and the issuer from YEON_PORT', () => {
    const c = loadConfig({ YEON_DATA_DIR: '/tmp/yeon-x', YEON_PORT: '9000' });
    assert.deepEqual(c.database, { kind: 'sqlite', file: '/tmp/yeon-x/yeon.db' });
    assert.equal(c.issuer, 'http://localhost:9000');
  });

  it('reads DATABASE_URL for PostgreSQL and an https issuer for secure cookies', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://yeon@db.internal:5432/yeon',
      YEON_DB_POOL_SIZE: '7',
      YEON_ISSUER: 'https://id.example.com/',
    });
    assert.deepEqual(c.database, {
      kind: 'postgres',
      url: 'postgres://yeon@db.internal:5432/yeon',
      poolSize: 7,
      connectTimeoutMs: 2000,
      preparedStatements: true,
    });
    assert.equal(c.issuer, 'https://id.example.com');
    assert.equal(c.secureCookies, true);
    // Behind a transaction-mode pooler (docs/deploy.md) named statements are turned off.
    const pooled = loadConfig({
      DATABASE_URL: 'postgres://yeon@db.internal:5432/yeon',
      YEON_DB_PREPARED_STATEMENTS: 'false',
    });
    assert.equal(pooled.database.kind === 'postgres' && pooled.database.preparedStatements, false);
  });

  const invalid: Array<[Record<string, string>, string]> = [
    [{ YEON_PORT: 'abc' }, 'YEON_PORT'],
    [{ YEON_PORT: '70000' }, 'YEON_PORT'],
    [{ YEON_PORT: '80.5' }, 'YEON_PORT'],
    [{ YEON_ENV: 'staging' }, 'YEON_ENV'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ YEON_OUTBOUND_ALLOW: 'notacidr' }, 'YEON_OUTBOUND_ALLOW'],
    [{ YEON_OUTBOUND_ALLOW: '10.0.0.0/8, cafe' }, 'YEON_OUTBOUND_ALLOW'],
    [{ YEON_OUTBOUND_ALLOW: '999.1.1.1/8' }, 'YEON_OUTBOUND_ALLOW'],
    [{ YEON_OUTBOUND_ALLOW: '10.0.0.0/33' }, 'YEON_OUTBOUND_ALLOW'],
    [{ YEON_COOKIE_SECRET: 'too-short' }, 'YEON_COOKIE_SECRET'],
    [{ YEON_ISSUER: 'id.example.com' }, 'YEON_ISSUER'],
    [{ YEON_DEFAULT_LOCALE: 'fr' }, 'YEON_DEFAULT_LOCALE'],
    [{ YEON_LOGIN_MAX_FAILURES: '0' }, 'YEON_LOGIN_MAX_FAILURES'],
    [{ YEON_METRICS: 'maybe' }, 'YEON_METRICS'],
  ];
  for (const [env, variable] of invalid) {
    it(`refuses ${JSON.stringify(env)} with an error naming ${variable}`, () => {
      const err = errorOf(env);
      assert.equal(err.variable, variable);
      assert.ok(err.message.startsWith(`${variable}: `), err.message);
    });
  }

  it('quotes a wrong value back, but never a secret', () => {
    assert.match(errorOf({ YEON_PORT: 'abc' }).message, /"abc"/);
    const secret = errorOf({ YEON_COOKIE_SECRET: 'hunter2-but-short' });
    assert.doesNotMatch(secret.message, /hunter2/);
    const url = errorOf({ DATABASE_URL: 'mysql://root:s3cret@db/x' });
    assert.doesNotMatch(url.message, /s3cret/);
  });

  it('accepts IPv4 and IPv6 addresses and CIDRs in YEON_OUTBOUND_ALLOW', () => {
    const c = loadConfig({ YEON_OUTBOUND_ALLOW: '10.0.0.0/8, 192.168.1.5, ::1/128, fd00::/8' });
    assert.deepEqual(c.outboundAllow, ['10.0.0.0/8', '192.168.1.5', '::1/128', 'fd00::/8']);
  });

  describe('in production', () => {
    it('refuses a plain-http issuer', () => {
      const err = errorOf({ YEON_ENV: 'production', YEON_ISSUER: 'http://id.example.com' });
      assert.equal(err.variable, 'YEON_ISSUER');
      assert.match(err.message, /https/);
    });

    it('accepts https issuers only: not plain-http localhost, not the default', () => {
      assert.equal(
        loadConfig({ YEON_ENV: 'production', YEON_ISSUER: 'https://id.example.com' }).env,
        'production',
      );
      const local = errorOf({ YEON_ENV: 'production', YEON_ISSUER: 'http://localhost:8080' });
      assert.equal(local.variable, 'YEON_ISSUER');
      assert.equal(errorOf({ YEON_ENV: 'production' }).variable, 'YEON_ISSUER');
    });

    it('allows no outbound private ranges by default', () => {
      assert.deepEqual(
        loadConfig({ YEON_ENV: 'production', YEON_ISSUER: 'https://a.example' }).outboundAllow,
        [],
      );
      assert.ok(loadConfig({}).outboundAllow.includes('127.0.0.0/8'));
    });

    it('sheds load by event-loop lag by default (1000 ms), and only in production', () => {
      const production = { YEON_ENV: 'production', YEON_ISSUER: 'https://a.example' };
      assert.equal(loadConfig(production).shed.maxEventLoopDelayMs, 1000);
      assert.equal(
        loadConfig({ ...production, YEON_MAX_EVENT_LOOP_DELAY_MS: '0' }).shed.maxEventLoopDelayMs,
        0,
      );
      assert.equal(loadConfig({}).shed.maxEventLoopDelayMs, 0);
    });
  });
});
