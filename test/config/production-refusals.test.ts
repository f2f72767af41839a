/**
 * Production refuses weak setups at boot, each with one line naming the variable to fix (OWASP
 * ASVS V14.1): a guessable cookie secret, no key to encrypt secrets at rest (V6.4.1), /metrics
 * open to anyone, a plain-http issuer (even localhost). `yeon serve` exits non-zero with that one
 * line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProductionSetup, ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { resolveSecrets } from '../../src/config/secrets.ts';
import { laneEnv, run } from '../cli/cli-process.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const STRONG_SECRET = 'Vq3n8Zr1-Lk0pWx7_Ty5Bc2Md9Fs4Gh6J';
const TOKEN = 'metrics-token-0123456789abcdefghijKLMN';
const ENCRYPTION_KEY = '3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGho=';
const PROD = {
  YEON_ENV: 'production',
  YEON_ISSUER: 'https://id.example.com',
  YEON_COOKIE_SECRET: STRONG_SECRET,
  YEON_ENCRYPTION_KEY: ENCRYPTION_KEY,
  YEON_METRICS_TOKEN: TOKEN,
  YEON_SMTP_URL: 'smtps://yeon:mail-password@smtp.example.com:465',
};

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('should have been refused');
}

describe('production refuses weak setups', () => {
  it('accepts a strong setup', () => {
    const config = loadConfig(PROD);
    assert.equal(resolveSecrets(config).cookieSecret, STRONG_SECRET);
    assertProductionSetup(config);
  });

  for (const [why, secret] of [
    ['one character repeated', 'a'.repeat(48)],
    ['digits only', '0123456789'.repeat(4)],
    ['a short pattern repeated', 'abcdefgh'.repeat(6)],
  ] as const) {
    it(`refuses a cookie secret of ${why}, naming YEON_COOKIE_SECRET without showing it`, () => {
      const err = refusal(() => resolveSecrets(loadConfig({ ...PROD, YEON_COOKIE_SECRET: secret })));
      assert.equal(err.variable, 'YEON_COOKIE_SECRET');
      assert.match(err.message, /distinct characters/);
      assert.equal(err.message.includes(secret), false);
      assert.equal(err.message.split('\n').length, 1);
    });
  }

  it('refuses a cookie secret shorter than 32 bytes', () => {
    assert.equal(
      refusal(() => loadConfig({ ...PROD, YEON_COOKIE_SECRET: 'Vq3n8Zr1Lk0p' })).variable,
      'YEON_COOKIE_SECRET',
    );
  });

  it('refuses to start without YEON_ENCRYPTION_KEY, and a key that is not 32 bytes, without showing it', () => {
    const { YEON_ENCRYPTION_KEY: _, ...noKey } = PROD;
    const missing = refusal(() => resolveSecrets(loadConfig(noKey)));
    assert.equal(missing.variable, 'YEON_ENCRYPTION_KEY');
    assert.match(missing.message, /must be set in production/);
    for (const weak of ['too-short-key', '0123456789abcdef'.repeat(3)]) {
      const err = refusal(() => resolveSecrets(loadConfig({ ...PROD, YEON_ENCRYPTION_KEY: weak })));
      assert.equal(err.variable, 'YEON_ENCRYPTION_KEY');
      assert.equal(err.message.includes(weak), false);
    }
    assert.equal(resolveSecrets(loadConfig(PROD)).keyring.previous.length, 0);
  });

  it('development keeps accepting any operator secret of 32 characters', () => {
    const config = loadConfig({ YEON_COOKIE_SECRET: 'a'.repeat(32) });
    assert.equal(resolveSecrets(config).cookieSecret, 'a'.repeat(32));
  });

  it('refuses /metrics without YEON_METRICS_TOKEN, unless metrics are off', () => {
    const { YEON_METRICS_TOKEN: _, ...noToken } = PROD;
    const err = refusal(() => assertProductionSetup(loadConfig(noToken)));
    assert.equal(err.variable, 'YEON_METRICS_TOKEN');
    assertProductionSetup(loadConfig({ ...noToken, YEON_METRICS: 'false' }));
  });

  it('refuses a plain-http issuer, localhost included', () => {
    for (const issuer of ['http://id.example.com', 'http://localhost:8080', 'http://127.0.0.1:8080']) {
      assert.equal(refusal(() => loadConfig({ ...PROD, YEON_ISSUER: issuer })).variable, 'YEON_ISSUER');
    }
  });

  it('lets a measurement run use a plain-http loopback issuer only when it says so by name', () => {
    const measured = { ...PROD, YEON_LOOPBACK_HTTP_ISSUER: 'true' };
    assert.equal(
      loadConfig({ ...measured, YEON_ISSUER: 'http://127.0.0.1:8080' }).issuer,
      'http://127.0.0.1:8080',
    );
    for (const issuer of ['http://id.example.com', 'http://10.0.0.1:8080']) {
      assert.equal(refusal(() => loadConfig({ ...measured, YEON_ISSUER: issuer })).variable, 'YEON_ISSUER');
    }
  });

  it('/metrics asks for the bearer token when one is set', async (t) => {
    const { app } = await buildTestApp(t, { env: { YEON_METRICS_TOKEN: TOKEN } });
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    assert.equal(wrong.statusCode, 401);
    const right = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(right.statusCode, 200);
    assert.match(right.body, /yeon_http_request_duration_seconds/);
  });

  for (const [name, env, variable] of [
    ['a cookie secret of one character', { YEON_COOKIE_SECRET: 'z'.repeat(40) }, 'YEON_COOKIE_SECRET'],
    ['no encryption key', { YEON_ENCRYPTION_KEY: '' }, 'YEON_ENCRYPTION_KEY'],
    ['/metrics without a token', { YEON_METRICS_TOKEN: '' }, 'YEON_METRICS_TOKEN'],
    ['a plain-http localhost issuer', { YEON_ISSUER: 'http://localhost:8080' }, 'YEON_ISSUER'],
  ] as const) {
    it(`yeon serve exits non-zero on ${name}, with one line naming ${variable}`, async (t) => {
      const { env: lane } = await laneEnv(t);
      const res = await run(['serve'], { ...lane, ...PROD, ...env, YEON_PORT: '0', YEON_HOST: '127.0.0.1' });
      assert.notEqual(res.code, 0);
      // oidc-provider's own warning about the Node.js version is not ours to count.
      const lines = res.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('oidc-provider WARNING'));
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, new RegExp(`^yeon: configuration error: ${variable}: `));
    });
  }
});
