/**
 * `yeon keys list|rotate` as real processes on the lane's database: rotation adds a
 * key, retires the old one, and a freshly started engine signs with the new kid while the JWKS
 * still publishes the old one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

describe('yeon keys', () => {
  it('--help documents list and rotate', async () => {
    const res = await run(['keys', '--help'], {});
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Usage: yeon keys/);
    assert.match(res.stdout, /\blist\b/);
    assert.match(res.stdout, /\brotate\b/);
    const rotate = await run(['keys', 'rotate', '--help'], {});
    assert.equal(rotate.code, 0, rotate.stderr);
    assert.match(rotate.stdout, /[Rr]estart/);
  });

  it('rotate adds a new active key and retires the previous one, which stays published', async (t) => {
    const { env } = await laneEnv(t);
    const before = await run(['keys', 'list', '--json'], env);
    assert.equal(before.code, 0, before.stderr);
    const first = JSON.parse(before.stdout) as Array<{ kid: string; status: string }>;
    assert.equal(first.length, 1);
    assert.equal(first[0]!.status, 'active');

    const rotated = await run(['keys', 'rotate', '--json'], env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const result = JSON.parse(rotated.stdout) as { kid: string; retired: string[] };
    assert.notEqual(result.kid, first[0]!.kid);
    assert.deepEqual(result.retired, [first[0]!.kid]);

    const after = JSON.parse((await run(['keys', 'list', '--json'], env)).stdout) as Array<{
      kid: string;
      status: string;
    }>;
    assert.deepEqual(
      after.map((k) => [k.kid, k.status]),
      [
        [result.kid, 'active'],
        [first[0]!.kid, 'retired (still published)'],
      ],
    );
  });
});
