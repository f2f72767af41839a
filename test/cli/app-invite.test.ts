/**
 * `yeon app invite` as a real process on the lane's database: like the console and the API it
 * creates an invitation (the same answer for an email with or without an account), never a
 * member; the printed link makes the invited account a member when it accepts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { confirmEmail, tokenOfInvitation } from '../helpers/team.ts';
import { laneEnv, run } from './cli-process.ts';

describe('yeon app invite', () => {
  it('prints a link for any email, adds nobody, and the invited account joins by accepting it', async (t) => {
    const lane = await laneEnv(t);
    const { env } = lane;
    for (const email of ['dev@example.com', 'jun@example.com']) {
      const user = await run(
        ['user', 'create', '--email', email, '--password', 'correct horse battery'],
        env,
      );
      assert.equal(user.code, 0, user.stderr);
    }
    const created = await run(
      [
        'app',
        'create',
        '--name',
        'Shop',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'https://shop.example.com/cb',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const appId = String(JSON.parse(created.stdout).app_id);

    const existing = await run(['app', 'invite', appId, 'jun@example.com', '--role', 'admin', '--json'], env);
    const unknown = await run(
      ['app', 'invite', appId, 'nobody@example.com', '--role', 'admin', '--json'],
      env,
    );
    assert.equal(existing.code, 0, existing.stderr);
    assert.equal(unknown.code, 0, unknown.stderr);
    const juns = JSON.parse(existing.stdout) as { id: string; url: string; role: string };
    assert.deepEqual(Object.keys(juns).sort(), Object.keys(JSON.parse(unknown.stdout)).sort());
    assert.equal(juns.role, 'admin');

    const badRole = await run(['app', 'invite', appId, 'x@example.com', '--role', 'boss'], env);
    assert.notEqual(badRole.code, 0);
    const badEmail = await run(['app', 'invite', appId, 'not an email'], env);
    assert.notEqual(badEmail.code, 0);
    assert.match(badEmail.stderr, /EMAIL: /);

    const config = { ...loadConfig({ YEON_ENV: 'test' }), database: lane.testDb.config };
    const db = createDb(config.database);
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
    lane.beforeDrop(async () => {
      await app.close();
      await db.destroy();
    });
    const dev = await app.services.accounts.getByEmail('dev@example.com');
    const jun = await app.services.accounts.getByEmail('jun@example.com');
    const members = async () =>
      (await app.services.apps.getAppDetail({ accountId: dev!.id }, Number(appId))).members.map(
        (m) => m.email,
      );
    assert.deepEqual(await members(), ['dev@example.com']);
    await confirmEmail(app, 'jun@example.com');
    const answer = await app.services.apps.acceptInvitation(
      { accountId: jun!.id },
      tokenOfInvitation(juns.url),
    );
    assert.deepEqual(answer, { ok: true, app_id: Number(appId) });
    assert.deepEqual((await members()).sort(), ['dev@example.com', 'jun@example.com']);
  });
});
