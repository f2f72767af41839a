import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliverOnce, parseRetryAfter } from '../../../src/modules/outbound/http-client.ts';
import type { OutboundPolicy } from '../../../src/modules/outbound/ssrf-guard.ts';
import { spyConnects, startPair, startReceiver } from './loopback.ts';

const LOOPBACK: OutboundPolicy = { allow: ['127.0.0.0/8', '::1/128'] };
const get = (url: string) => ({ url, method: 'GET' as const, headers: {} });

describe('deliverOnce: ordinary deliveries', () => {
  it('POSTs the exact body and headers, reports 2xx as ok with the peer address', async (t) => {
    const receiver = await startReceiver(t, (_req, res) => res.writeHead(204).end());
    const result = await deliverOnce(
      {
        url: `${receiver.url}/cb?x=1`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'webhook-id': 'n1' },
        body: 'app_id=1&user_id=2',
      },
      { policy: LOOPBACK, timeoutMs: 2000 },
    );
    assert.equal(result.ok, true);
    assert.equal(result.status, 204);
    assert.equal(result.remoteAddress, '127.0.0.1');
    assert.equal(receiver.requests.length, 1);
    const seen = receiver.requests[0]!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/cb?x=1');
    assert.equal(seen.body, 'app_id=1&user_id=2');
    assert.equal(seen.headers['webhook-id'], 'n1');
    assert.equal(seen.headers.host, `127.0.0.1:${receiver.port}`);
  });

  it('reports non-2xx as http_error with a sanitised excerpt and Retry-After', async (t) => {
    const receiver = await startReceiver(t, (_req, res) =>
      res.writeHead(503, { 'retry-after': '7' }).end('busy\u0000\u0007 now'),
    );
    const result = await deliverOnce(get(receiver.url), { policy: LOOPBACK, timeoutMs: 2000 });
    assert.equal(result.ok, false);
    assert.equal(result.error, 'http_error');
    assert.equal(result.status, 503);
    assert.equal(result.retryAfterMs, 7000);
    assert.equal(result.responseExcerpt, 'busy now');
  });

  it('binds the socket to the configured local address', async (t) => {
    const receiver = await startReceiver(t, (req, res) => res.end(req.socket.remoteAddress));
    const result = await deliverOnce(get(receiver.url), {
      policy: LOOPBACK,
      timeoutMs: 2000,
      localAddress: '127.0.0.3',
    });
    assert.equal(result.ok, true);
    assert.equal(result.responseBody, '127.0.0.3');
  });

  it('reaches an IPv6 loopback receiver when the allow-list covers ::1', async (t) => {
    const receiver = await startReceiver(t, undefined, { host: '::1' });
    const result = await deliverOnce(get(`${receiver.url}/v6`), { policy: LOOPBACK, timeoutMs: 2000 });
    assert.equal(result.ok, true);
    assert.equal(result.remoteAddress, '::1');
  });

  it('reports a closed port as connect_failed', async (t) => {
    const receiver = await startReceiver(t);
    const url = receiver.url;
    await new Promise<void>((r) => receiver.server.close(() => r()));
    const result = await deliverOnce(get(url), { policy: LOOPBACK, timeoutMs: 2000 });
    assert.equal(result.ok, false);
    assert.equal(result.error, 'connect_failed');
  });
});

describe('deliverOnce: SSRF (zero connections to refused addresses)', () => {
  it('never connects to a loopback canary the allow-list excludes, whatever the spelling', async (t) => {
    const spy = spyConnects(t);
    const canary = await startReceiver(t);
    const policy: OutboundPolicy = { allow: ['127.0.0.2/32'] };
    const p = canary.port;
    const urls = [
      `http://127.0.0.1:${p}/`,
      `http://2130706433:${p}/`,
      `http://0x7f.1:${p}/`,
      `http://0x7f000001:${p}/`,
      `http://017700000001:${p}/`,
      `http://127.1:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://[::ffff:7f00:1]:${p}/`,
      `http://localhost:${p}/`,
    ];
    for (const url of urls) {
      const result = await deliverOnce(get(url), { policy, timeoutMs: 2000 });
      assert.equal(result.ok, false, url);
      assert.equal(result.error, 'refused_destination', url);
      assert.match(result.detail ?? '', /^blocked_address /, url);
    }
    assert.equal(canary.connections, 0);
    assert.deepEqual(spy.attempts, []);
  });

  it('refuses metadata even when the allow-list is 0.0.0.0/0 and ::/0, before any socket', async (t) => {
    const spy = spyConnects(t);
    const policy: OutboundPolicy = { allow: ['0.0.0.0/0', '::/0'] };
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
    ]) {
      const result = await deliverOnce(get(url), { policy, timeoutMs: 2000 });
      assert.equal(result.error, 'refused_destination', url);
      assert.match(result.detail ?? '', /^metadata /, url);
    }
    const named = await deliverOnce(get('http://metadata.test/computeMetadata/v1/'), {
      policy: { ...policy, resolve: async () => ['169.254.169.254'] },
      timeoutMs: 2000,
    });
    assert.equal(named.error, 'refused_destination');
    assert.deepEqual(spy.attempts, []);
  });

  it('DNS rebinding: a name that answers allowed first, then loopback, is refused at connect', async (t) => {
    const spy = spyConnects(t);
    // 127.0.0.2 stands in for a public address (allow-listed); the canary sits on 127.0.0.1.
    const [publicLike, canary] = await startPair(t, { host: '127.0.0.2' }, { host: '127.0.0.1' });
    const policy = (answers: string[][]): OutboundPolicy & { queries: number } => {
      const p = {
        allow: ['127.0.0.2/32'],
        queries: 0,
        resolve: async () => answers[Math.min(p.queries++, answers.length - 1)]!,
      };
      return p;
    };
    const url = `http://rebind.test:${canary.port}/unlink`;
    for (let i = 0; i < 25; i++) {
      const rebinding = policy([['127.0.0.2'], ['127.0.0.1']]);
      const result = await deliverOnce(get(url), { policy: rebinding, timeoutMs: 2000 });
      assert.equal(result.ok, false);
      assert.equal(result.error, 'refused_destination');
      assert.equal(result.detail, 'blocked_address 127.0.0.1');
      assert.equal(rebinding.queries, 2, 'checked once early and once again at connect');
    }
    assert.equal(canary.connections, 0);
    assert.equal(publicLike.connections, 0);
    assert.ok(!spy.attempts.includes('127.0.0.1'));

    // The same name answering the allowed address both times is delivered, to that address only.
    const stable = policy([['127.0.0.2']]);
    const ok = await deliverOnce(get(url), { policy: stable, timeoutMs: 2000 });
    assert.equal(ok.ok, true);
    assert.equal(ok.remoteAddress, '127.0.0.2');
    assert.equal(publicLike.requests[0]?.headers.host, `rebind.test:${canary.port}`);
    assert.equal(canary.connections, 0);
    assert.deepEqual(spy.attempts, ['127.0.0.2']);
  });

  it('does not follow redirects: a 302 to another loopback receiver is a failure with 0 hits there', async (t) => {
    const target = await startReceiver(t);
    const redirector = await startReceiver(t, (_req, res) =>
      res.writeHead(302, { location: `${target.url}/stolen` }).end(),
    );
    for (const status of [301, 302, 303, 307, 308]) {
      redirector.server.removeAllListeners('request');
      redirector.server.on('request', (_req, res) =>
        res.writeHead(status, { location: `${target.url}/stolen` }).end(),
      );
      const result = await deliverOnce(
        { url: redirector.url, method: 'POST', headers: { authorization: 'KakaoAK secret' }, body: 'x=1' },
        { policy: LOOPBACK, timeoutMs: 2000 },
      );
      assert.equal(result.ok, false);
      assert.equal(result.error, 'redirect');
      assert.equal(result.status, status);
    }
    assert.equal(target.connections, 0);
    assert.equal(target.requests.length, 0);
  });
});

describe('deliverOnce: hostile receivers are cut at their caps', () => {
  it('cuts a body that trickles past the deadline', async (t) => {
    let timer: NodeJS.Timeout | undefined;
    t.after(() => clearInterval(timer));
    const receiver = await startReceiver(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      timer = setInterval(() => {
        if (n++ > 400 || res.destroyed) return clearInterval(timer);
        res.write('.');
      }, 20);
    });
    const result = await deliverOnce(get(receiver.url), { policy: LOOPBACK, timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.equal(result.error, 'timeout');
    assert.equal(result.status, 200, 'headers had arrived; the body did not finish in time');
    await receiver.allClosed();
  });

  it('cuts a server that accepts and never answers', async (t) => {
    const receiver = await startReceiver(t, () => {}, { readBody: false });
    const result = await deliverOnce(
      { url: receiver.url, method: 'POST', headers: {}, body: 'x' },
      { policy: LOOPBACK, timeoutMs: 300 },
    );
    assert.equal(result.ok, false);
    assert.equal(result.error, 'timeout');
    assert.equal(result.status, undefined);
    assert.equal(receiver.connections, 1);
    await receiver.allClosed();
  });

  it('reads at most 64 KiB of a huge body and drops the connection', async (t) => {
    const total = 64 * 1024 * 1024;
    let written = 0;
    const receiver = await startReceiver(t, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => {});
      pump();
    });
    const result = await deliverOnce(get(receiver.url), { policy: LOOPBACK, timeoutMs: 5000 });
    assert.equal(result.ok, true, 'the status decides success; the body is only read up to the cap');
    assert.equal(result.responseTruncated, true);
    assert.equal(result.responseBody?.length, 65_536);
    assert.equal(result.responseExcerpt?.length, 1024);
    await receiver.allClosed();
    assert.ok(written < total, `the receiver was cut off (wrote ${written} of ${total} bytes)`);
  });

  it('honours a smaller maxResponseBytes', async (t) => {
    const receiver = await startReceiver(t, (_req, res) => res.end('x'.repeat(5000)));
    const result = await deliverOnce(get(receiver.url), {
      policy: LOOPBACK,
      timeoutMs: 2000,
      maxResponseBytes: 100,
    });
    assert.equal(result.responseBody?.length, 100);
    assert.equal(result.responseTruncated, true);
  });
});

describe('deliverOnce: isolation', () => {
  it('keeps healthy deliveries unaffected while hostile ones run to their deadline', async (t) => {
    const silent = await startReceiver(t, () => {}, { readBody: false });
    const healthy = await startReceiver(t, (_req, res) => res.end('ok'));
    let hostileDone = 0;
    const hostile = Array.from({ length: 4 }, () =>
      deliverOnce(get(silent.url), { policy: LOOPBACK, timeoutMs: 2000 }).then((r) => {
        hostileDone++;
        return r;
      }),
    );
    const fine = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        deliverOnce(get(`${healthy.url}/${i}`), { policy: LOOPBACK, timeoutMs: 2000 }),
      ),
    );
    assert.ok(fine.every((r) => r.ok));
    assert.equal(hostileDone, 0, 'all healthy deliveries finished while the hostile ones were still waiting');
    for (const r of await Promise.all(hostile)) assert.equal(r.error, 'timeout');
  });

  it('gives up on a resolver that never answers, at the deadline', async () => {
    const result = await deliverOnce(get('http://hang.test/'), {
      policy: { allow: [], resolve: () => new Promise<string[]>(() => {}) },
      timeoutMs: 200,
    });
    assert.equal(result.error, 'timeout');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 24, 12, 0, 0);
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(['5', '9'], now), 5000);
  });
  it('reads HTTP dates (IMF-fixdate and RFC 850), past dates give 0', () => {
    assert.equal(parseRetryAfter('Tue, 24 Nov 2026 12:01:30 GMT', now), 90_000);
    assert.equal(parseRetryAfter('Tuesday, 24-Nov-26 12:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 12:00:00 GMT', now), 0);
  });
  it('ignores junk', () => {
    for (const v of [undefined, '', '-5', '1.5', 'soon', '2026-11-24T12:00:00Z', 'Tue, 99 Foo 2026 GMT']) {
      assert.equal(parseRetryAfter(v, now), undefined, String(v));
    }
  });
});
