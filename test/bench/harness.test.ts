/**
 * The bench harness's own rules (bench/README.md): each figure is the
 * median of its runs with min–max, printed beside its baseline and the ratio, and a load run
 * with any error or non-2xx answer is refused, so the table says "not measured" instead of a
 * figure. The figures themselves come from `npm run bench`, never from timed assertions here.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { markdownTable, series } from '../../bench/lib/stats.ts';
import { load } from '../../bench/parts/http-parts.ts';

async function loopbackServer(t: { after(fn: () => unknown): void }, status: (n: number) => number) {
  let n = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(status(n++)).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('bench harness', () => {
  it('takes the median of the runs, with min and max', () => {
    assert.deepEqual(series([30, 10, 20]), { runs: [30, 10, 20], median: 20, min: 10, max: 30 });
    assert.equal(series([4, 1, 3, 2]).median, 2.5);
  });

  it('prints each figure beside its baseline and ratio, and "not measured" for a failed part', () => {
    const table = markdownTable([
      {
        part: '3',
        name: '/v2/user/me requests/s',
        unit: '/s',
        value: series([1000, 1100, 900]),
        baselineName: 'raw node:http hello-world',
        baseline: series([4000, 4000, 4000]),
        ratio: 0.25,
        target: '≥ 40 % of raw http',
        met: false,
        note: 'one valid token',
      },
      { part: '4', name: 'Burst', unit: '/s', target: '—', note: 'failed: only 9 of 10 arrived' },
    ]);
    const lines = table.split('\n');
    assert.equal(
      lines[2],
      '| 3 | /v2/user/me requests/s | 1,000 /s (900–1,100) | raw node:http hello-world: 4,000 /s (4,000–4,000) | 25 % | ≥ 40 % of raw http | no |',
    );
    assert.equal(lines[3], '| 4 | Burst | not measured: failed: only 9 of 10 arrived | — | — | — | — |');
    assert.ok(lines.includes('- 3 /v2/user/me requests/s: one valid token'), 'notes follow the table');
  });

  it('accepts a load run with only 2xx answers', async (t) => {
    const url = await loopbackServer(t, () => 200);
    const r = await load({ url, durationS: 1, connections: 2 });
    assert.ok(r.total > 0);
    assert.equal(r.errors + r.non2xx, 0);
  });

  it('refuses a load run with a single non-2xx answer', async (t) => {
    const url = await loopbackServer(t, (n) => (n === 5 ? 500 : 200));
    await assert.rejects(load({ url, durationS: 1, connections: 2 }), /0 errors, 1 non-2xx of \d+ requests/);
  });
});
