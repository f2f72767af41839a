import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDestination, type OutboundPolicy } from '../../../src/modules/outbound/ssrf-guard.ts';

const PRODUCTION: OutboundPolicy = { allow: [], resolve: async () => ['93.184.215.14'] };
const DEV: OutboundPolicy = { allow: ['127.0.0.0/8', '::1/128'], resolve: PRODUCTION.resolve };
const EVERYTHING: OutboundPolicy = { allow: ['0.0.0.0/0', '::/0'], resolve: PRODUCTION.resolve };

describe('checkDestination: URL shape', () => {
  it('accepts http and https only, without credentials', async () => {
    assert.deepEqual(await checkDestination('https://example.com/cb', PRODUCTION), {
      ok: true,
      addresses: ['93.184.215.14'],
    });
    assert.deepEqual(await checkDestination('not a url', PRODUCTION), { ok: false, reason: 'invalid_url' });
    for (const url of ['file:///etc/passwd', 'gopher://example.com/', 'ftp://example.com/', 'ws://x/']) {
      assert.deepEqual(await checkDestination(url, PRODUCTION), { ok: false, reason: 'scheme' }, url);
    }
    for (const url of ['https://user@example.com/', 'https://:pw@example.com/', 'http://a:b@example.com/']) {
      assert.deepEqual(await checkDestination(url, PRODUCTION), { ok: false, reason: 'credentials' }, url);
    }
  });
});

describe('checkDestination: literal and encoded addresses', () => {
  const refusedInProduction: Array<[string, 'blocked_address' | 'metadata', string]> = [
    ['http://127.0.0.1/', 'blocked_address', '127.0.0.1'],
    ['http://2130706433/', 'blocked_address', '127.0.0.1'],
    ['http://0x7f.1/', 'blocked_address', '127.0.0.1'],
    ['http://0x7f000001/', 'blocked_address', '127.0.0.1'],
    ['http://017700000001/', 'blocked_address', '127.0.0.1'],
    ['http://127.1/', 'blocked_address', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', 'blocked_address', '127.0.0.1'],
    ['http://[::1]/', 'blocked_address', '::1'],
    ['http://[0:0:0:0:0:0:0:1]/', 'blocked_address', '::1'],
    ['http://0.0.0.0/', 'blocked_address', '0.0.0.0'],
    ['http://0/', 'blocked_address', '0.0.0.0'],
    ['http://10.0.0.1/', 'blocked_address', '10.0.0.1'],
    ['http://100.64.0.1/', 'blocked_address', '100.64.0.1'],
    ['http://192.168.1.1/', 'blocked_address', '192.168.1.1'],
    ['http://172.20.0.1/', 'blocked_address', '172.20.0.1'],
    ['http://[fe80::1]/', 'blocked_address', 'fe80::1'],
    ['http://[fc00::1]/', 'blocked_address', 'fc00::1'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata', '169.254.169.254'],
    ['http://[::ffff:169.254.169.254]/', 'metadata', '169.254.169.254'],
    ['http://[::ffff:a9fe:a9fe]/', 'metadata', '169.254.169.254'],
    ['http://2852039166/', 'metadata', '169.254.169.254'],
    ['http://[fd00:ec2::254]/', 'metadata', 'fd00:ec2::254'],
    ['http://100.100.100.200/', 'metadata', '100.100.100.200'],
  ];
  for (const [url, reason, address] of refusedInProduction) {
    it(`refuses ${url} in production (${reason} ${address})`, async () => {
      assert.deepEqual(await checkDestination(url, PRODUCTION), { ok: false, reason, address });
    });
  }

  it('lets the development allow-list reach loopback in every spelling, and nothing else', async () => {
    for (const url of [
      'http://127.0.0.1:8080/cb',
      'http://2130706433/',
      'http://[::1]/',
      'http://[::ffff:7f00:1]/',
    ]) {
      const check = await checkDestination(url, DEV);
      assert.equal(check.ok, true, url);
    }
    assert.equal((await checkDestination('http://10.0.0.1/', DEV)).ok, false);
    assert.equal((await checkDestination('http://0.0.0.0/', DEV)).ok, false);
  });

  it('refuses metadata and link-local even when the allow-list covers everything', async () => {
    assert.deepEqual(await checkDestination('http://169.254.169.254/', EVERYTHING), {
      ok: false,
      reason: 'metadata',
      address: '169.254.169.254',
    });
    assert.deepEqual(await checkDestination('http://[fd00:ec2::254]/', EVERYTHING), {
      ok: false,
      reason: 'metadata',
      address: 'fd00:ec2::254',
    });
    assert.deepEqual(await checkDestination('http://169.254.10.10/', EVERYTHING), {
      ok: false,
      reason: 'blocked_address',
      address: '169.254.10.10',
    });
    assert.deepEqual(await checkDestination('http://[fe80::1]/', EVERYTHING), {
      ok: false,
      reason: 'blocked_address',
      address: 'fe80::1',
    });
    assert.deepEqual(await checkDestination('http://0.0.0.0/', EVERYTHING), {
      ok: false,
      reason: 'blocked_address',
      address: '0.0.0.0',
    });
    // The same allow-list does open ordinary private ranges: it is the operator's choice.
    assert.equal((await checkDestination('http://10.1.2.3/', EVERYTHING)).ok, true);
  });
});

describe('checkDestination: DNS names', () => {
  const resolving =
    (answers: Record<string, string[]>): OutboundPolicy['resolve'] =>
    async (host) => {
      const a = answers[host];
      if (!a) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return a;
    };

  it('checks every A/AAAA record and refuses the name if any one is refused', async () => {
    const policy: OutboundPolicy = {
      allow: ['127.0.0.2/32'],
      resolve: resolving({
        'good.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
        'mixed.test': ['127.0.0.2', '127.0.0.1'],
        'sneaky.test': ['93.184.215.14', '::ffff:169.254.169.254'],
        'mapped.test': ['::ffff:7f00:2'],
      }),
    };
    assert.deepEqual(await checkDestination('https://good.test/x', policy), {
      ok: true,
      addresses: ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    });
    assert.deepEqual(await checkDestination('https://mixed.test/x', policy), {
      ok: false,
      reason: 'blocked_address',
      address: '127.0.0.1',
    });
    assert.deepEqual(await checkDestination('https://sneaky.test/x', policy), {
      ok: false,
      reason: 'metadata',
      address: '169.254.169.254',
    });
    assert.deepEqual(await checkDestination('https://mapped.test/x', policy), {
      ok: true,
      addresses: ['127.0.0.2'],
    });
  });

  it('reports names that do not resolve, or resolve to junk, as unresolvable', async () => {
    const policy: OutboundPolicy = {
      allow: [],
      resolve: resolving({ 'empty.test': [], 'junk.test': ['not-an-ip'] }),
    };
    assert.deepEqual(await checkDestination('https://nowhere.test/', policy), {
      ok: false,
      reason: 'unresolvable',
    });
    assert.deepEqual(await checkDestination('https://empty.test/', policy), {
      ok: false,
      reason: 'unresolvable',
    });
    assert.deepEqual(await checkDestination('https://junk.test/', policy), {
      ok: false,
      reason: 'unresolvable',
      address: 'not-an-ip',
    });
  });

  it('uses the system resolver by default (localhost is loopback, refused without an allow-list)', async () => {
    const check = await checkDestination('http://localhost:9/', { allow: [] });
    assert.equal(check.ok, false);
    assert.equal(check.ok === false && check.reason, 'blocked_address');
  });
});
