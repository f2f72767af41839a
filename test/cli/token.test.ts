/**
 * `yeon token create --expires-in 30d|90d|365d|never` as real processes on the lane's database:
 * the printed expiry is the one stored, 90 days is the default, `never` stores none, and any other
 * value is refused naming the option and its choices, with a non-zero exit and nothing saved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDb } from '../../src/db/create-db.ts';
import { laneEnv, run } from './cli-process.ts';

const DAY = 86_400_000;

describe('yeon token create --expires-in', () => {
  it('stores and prints the chosen expiry, 90 days by default, none for never, and refuses other values', async (t) => {
    const lane = await laneEnv(t);
    const { env } = lane;
    const user = await run(
      ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    const create = (...extra: string[]) =>
      run(['token', 'create', '--owner', 'dev@example.com', ...extra], env);

    const month = await create('--name', 'month', '--expires-in', '30d', '--json');
    assert.equal(month.code, 0, month.stderr);
    const m = JSON.parse(month.stdout);
    assert.equal(Date.parse(m.expires_at) - Date.parse(m.created_at), 30 * DAY);

    const never = await create('--name', 'never', '--expires-in', 'never', '--json');
    assert.equal(never.code, 0, never.stderr);
    assert.equal(JSON.parse(never.stdout).expires_at, null);

    const plain = await create('--name', 'default');
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stdout,
      /^created token dt_\S+ for dev@example\.com, expires \d{4}-\d\d-\d\dT[^ ]+ \(shown once\):\nyeon_dt_/,
    );

    for (const bad of ['45d', '30', 'forever', '']) {
      const res = await create('--name', 'bad', '--expires-in', bad);
      assert.notEqual(res.code, 0, `--expires-in ${JSON.stringify(bad)} was accepted`);
      assert.match(res.stderr, /--expires-in/);
      assert.match(res.stderr, /30d, 90d, 365d, never/);
    }

    const db = createDb(lane.testDb.config);
    lane.beforeDrop(() => db.destroy());
    const rows = await db
      .selectFrom('developer_tokens')
      .select(['name', 'created_at', 'expires_at'])
      .orderBy('name')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.name, r.expires_at === null ? null : (r.expires_at - r.created_at) / DAY]),
      [
        ['default', 90],
        ['month', 30],
        ['never', null],
      ],
    );
  });
});
