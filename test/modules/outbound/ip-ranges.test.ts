import assert from 'node:assert/strict';
import { BlockList } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  cidrContains,
  classifyIp,
  createCidrMatcher,
  isValidCidr,
  normalizeIp,
  parseCidr,
  parseIp,
} from '../../../src/modules/outbound/ip-ranges.ts';

describe('ip-ranges: parsing and normalisation', () => {
  it('parses canonical IPv4 and IPv6, and refuses ambiguous or malformed text', () => {
    assert.deepEqual(parseIp('10.1.2.3'), { family: 4, bytes: Uint8Array.from([10, 1, 2, 3]) });
    assert.equal(parseIp('2001:db8::1')?.family, 6);
    for (const bad of [
      '010.0.0.1',
      '256.0.0.1',
      '1.2.3',
      '0x7f.1',
      '2130706433',
      '1::2::3',
      ':::',
      'a.b.c.d',
      '',
    ]) {
      assert.equal(parseIp(bad), null, bad);
    }
  });

  it('normalises IPv4-mapped IPv6 to IPv4 in every spelling', () => {
    for (const text of ['::ffff:127.0.0.1', '::ffff:7f00:1', '[::ffff:7f00:1]', '0:0:0:0:0:ffff:7f00:0001']) {
      assert.equal(normalizeIp(text), '127.0.0.1', text);
    }
    assert.equal(normalizeIp('::ffff:a9fe:a9fe'), '169.254.169.254');
  });

  it('prints IPv6 in RFC 5952 form and drops brackets and zones', () => {
    assert.equal(normalizeIp('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(normalizeIp('[FE80:0:0:0:0:0:0:1%eth0]'), 'fe80::1');
    assert.equal(normalizeIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(normalizeIp('fd00:ec2:0:0:0:0:0:254'), 'fd00:ec2::254');
  });

  it('matches CIDRs within one family and maps ::ffff:a.b.c.d/96+ ranges to IPv4', () => {
    assert.ok(cidrContains('127.0.0.0/8', '127.255.0.9'));
    assert.ok(!cidrContains('127.0.0.0/8', '128.0.0.1'));
    assert.ok(cidrContains('::ffff:127.0.0.0/104', '127.0.0.1'));
    assert.ok(cidrContains('fc00::/7', 'fdff::1'));
    assert.ok(!cidrContains('::/0', '127.0.0.1'), 'an IPv6 range never covers an IPv4 address');
    assert.ok(cidrContains('0.0.0.0/0', '::ffff:10.0.0.1'), 'mapped addresses are IPv4');
    assert.equal(isValidCidr('10.0.0.0/33'), false);
    assert.equal(isValidCidr('10.0.0.0/8/1'), false);
    assert.equal(isValidCidr('::1'), true);
    assert.deepEqual(parseCidr('10.9.9.9/8'), { family: 4, base: 10n << 24n, prefix: 8 });
  });

  it('ignores invalid allow-list entries instead of widening access', () => {
    const allow = createCidrMatcher(['garbage', '127.0.0.1/40', '127.0.0.2']);
    assert.equal(allow('127.0.0.1'), false);
    assert.equal(allow('127.0.0.2'), true);
  });
});

describe('ip-ranges: classification', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'], // NAT64 to the metadata address
    ['2002:a9fe:a9fe::1', 'metadata'], // 6to4 embedding it
    ['64:ff9b::7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['::7f00:1', 'reserved'], // IPv4-compatible
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['64:ff9b::808:808', 'public'], // NAT64 to a public address
    ['4000::1', 'reserved'], // outside 2000::/3
  ];
  for (const [address, expected] of cases) {
    it(`${address} is ${expected}`, () => {
      assert.equal(classifyIp(address), expected);
    });
  }

  it('agrees with node:net BlockList on random IPv4 and IPv4-mapped addresses', () => {
    // An independent implementation of the same ranges: BlockList also matches mapped IPv6.
    const refused = new BlockList();
    for (const [net, prefix] of [
      ['0.0.0.0', 8],
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['192.88.99.0', 24],
      ['192.168.0.0', 16],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ] as const) {
      refused.addSubnet(net, prefix, 'ipv4');
    }
    const azure = '168.63.129.16';
    fc.assert(
      fc.property(fc.ipV4(), fc.boolean(), (v4, mapped) => {
        const text = mapped ? `::ffff:${v4}` : v4;
        const cls = classifyIp(text);
        const blocked = refused.check(text, mapped ? 'ipv6' : 'ipv4') || v4 === azure;
        assert.equal(cls !== 'public', blocked, `${text} → ${cls}`);
      }),
      { numRuns: 5000 },
    );
  });
});
