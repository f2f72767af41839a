/**
 * Production refuses to start without YEON_SMTP_URL (OWASP ASVS V14.1: no insecure default):
 * password resets and security notices must reach real inboxes, never a development mailbox that
 * nobody reads. `yeon serve` exits non-zero with one line naming the variable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertProductionSetup, ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { laneEnv, run } from '../cli/cli-process.ts';

const PROD = {
  YEON_ENV: 'production',
  YEON_ISSUER: 'https://id.example.com',
  YEON_COOKIE_SECRET: 'Vq3n8Zr1-Lk0pWx7_Ty5Bc2Md9Fs4Gh6J',
  YEON_METRICS_TOKEN: 'metrics-token-0123456789abcdefghijKLMN',
  YEON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('production mail setup', () => {
  it('refuses production without YEON_SMTP_URL, in one line naming the variable', () => {
    let refusal: unknown;
    try {
      assertProductionSetup(loadConfig(PROD));
    } catch (err) {
      refusal = err;
    }
    assert.ok(refusal instanceof ConfigError, 'a ConfigError');
    assert.equal(refusal.variable, 'YEON_SMTP_URL');
    assert.equal(refusal.message.split('\n').length, 1);
  });

  it('accepts production with YEON_SMTP_URL and never echoes it (it holds the SMTP password)', () => {
    const smtpUrl = 'smtps://user:s3cret-pass@smtp.example.com:465';
    const config = loadConfig({ ...PROD, YEON_SMTP_URL: smtpUrl });
    assertProductionSetup(config);
    assert.equal(config.mail.smtpUrl, smtpUrl);
    assert.equal(config.mail.from, '"yeon" <no-reply@id.example.com>');
    assert.throws(
      () => loadConfig({ ...PROD, YEON_SMTP_URL: 'http://user:s3cret-pass@smtp.example.com' }),
      (err: Error) =>
        err instanceof ConfigError && err.variable === 'YEON_SMTP_URL' && !err.message.includes('s3cret'),
    );
  });

  it('YEON_MAIL_FROM replaces the default sender', () => {
    const config = loadConfig({ ...PROD, YEON_MAIL_FROM: 'Accounts <accounts@example.com>' });
    assert.equal(config.mail.from, 'Accounts <accounts@example.com>');
  });

  it('yeon serve in production without YEON_SMTP_URL exits non-zero naming YEON_SMTP_URL', async (t) => {
    const { env } = await laneEnv(t);
    const res = await run(['serve'], { ...env, ...PROD, YEON_PORT: '0' });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_SMTP_URL: must be set in production/);
  });
});
