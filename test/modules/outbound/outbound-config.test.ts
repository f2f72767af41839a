import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/load-config.ts';

describe('outbound configuration', () => {
  it('defaults: 3 s callback timeout, no egress list, no bound address, loopback allowed outside production', () => {
    const dev = loadConfig({ YEON_ENV: 'development' });
    assert.equal(dev.callbackTimeoutMs, 3000);
    assert.deepEqual(dev.egressIps, []);
    assert.equal(dev.outboundLocalAddress, undefined);
    assert.deepEqual(dev.outboundAllow, ['127.0.0.0/8', '::1/128']);
    const prod = loadConfig({ YEON_ENV: 'production', YEON_ISSUER: 'https://id.example.com' });
    assert.deepEqual(prod.outboundAllow, []);
  });

  it('reads egress addresses, the local address and the timeout', () => {
    const c = loadConfig({
      YEON_EGRESS_IPS: '203.0.113.10, 2001:db8::10, 198.51.100.0/28',
      YEON_OUTBOUND_LOCAL_ADDRESS: '127.0.0.3',
      YEON_CALLBACK_TIMEOUT_MS: '1500',
    });
    assert.deepEqual(c.egressIps, ['203.0.113.10', '2001:db8::10', '198.51.100.0/28']);
    assert.equal(c.outboundLocalAddress, '127.0.0.3');
    assert.equal(c.callbackTimeoutMs, 1500);
  });

  it('names the variable when a value is wrong', () => {
    for (const [variable, value] of [
      ['YEON_EGRESS_IPS', '203.0.113.10, example.com'],
      ['YEON_OUTBOUND_LOCAL_ADDRESS', 'eth0'],
      ['YEON_CALLBACK_TIMEOUT_MS', '10'],
      ['YEON_CALLBACK_TIMEOUT_MS', 'soon'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (err: unknown) => err instanceof ConfigError && err.variable === variable,
        `${variable}=${value}`,
      );
    }
  });
});
