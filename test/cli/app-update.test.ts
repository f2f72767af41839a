/**
 * `yeon app update --require-pkce on|off --strict-oauth on|off` and what `yeon app show` prints of
 * the two switches, as real processes on the lane's database. An option not given keeps its value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

describe('yeon app update', () => {
  it('turns Require PKCE and Strict OAuth on and off, and show prints them as text and JSON', async (t) => {
    const { env } = await laneEnv(t);
    const user = await run(
      ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    const created = await run(
      [
        'app',
        'create',
        '--name',
        'Strict',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'https://strict.example.com/cb',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const id = String(JSON.parse(created.stdout).app_id);

    const before = await run(['app', 'show', id], env);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /require PKCE off, strict OAuth off/);

    const pkce = await run(['app', 'update', id, '--require-pkce', 'on'], env);
    assert.equal(pkce.code, 0, pkce.stderr);
    assert.match(pkce.stdout, /require PKCE on, strict OAuth off/);

    const both = await run(['app', 'update', id, '--strict-oauth', 'on', '--json'], env);
    assert.equal(both.code, 0, both.stderr);
    assert.equal(JSON.parse(both.stdout).login.require_pkce, true, 'not given, so unchanged');
    assert.equal(JSON.parse(both.stdout).login.strict_oauth, true);

    const off = await run(['app', 'update', id, '--require-pkce', 'off', '--strict-oauth', 'off'], env);
    assert.equal(off.code, 0, off.stderr);
    const show = await run(['app', 'show', id, '--json'], env);
    assert.equal(show.code, 0, show.stderr);
    const { login } = JSON.parse(show.stdout);
    assert.deepEqual([login.require_pkce, login.strict_oauth], [false, false]);
    assert.deepEqual(login.redirect_uris, ['https://strict.example.com/cb'], 'the rest of login is kept');

    const nothing = await run(['app', 'update', id], env);
    assert.notEqual(nothing.code, 0);
    assert.match(nothing.stderr, /nothing to change/);
    const badValue = await run(['app', 'update', id, '--require-pkce', 'yes'], env);
    assert.notEqual(badValue.code, 0);
    assert.match(badValue.stderr, /--require-pkce/);
    const noApp = await run(['app', 'update', '12345', '--strict-oauth', 'on'], env);
    assert.notEqual(noApp.code, 0);
    assert.match(noApp.stderr, /no app 12345/);
  });
});
