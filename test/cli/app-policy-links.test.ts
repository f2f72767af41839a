/**
 * `yeon app update --privacy-policy-url … --terms-url …` and what `yeon app show` prints of the
 * two links, as real processes on the lane's database. A link not given keeps its value; "" removes
 * it; anything but an http(s) URL is refused, names its option and saves nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

describe('yeon app update: policy links', () => {
  it('sets, shows and removes the privacy policy and terms links, and refuses javascript:', async (t) => {
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
        'Links',
        '--owner',
        'dev@example.com',
        '--redirect-uri',
        'https://links.example/cb',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const id = String(JSON.parse(created.stdout).app_id);

    const before = await run(['app', 'show', id], env);
    assert.match(before.stdout, /privacy policy: {11}-\n {2}terms of service: {9}-/);

    const both = await run(
      [
        'app',
        'update',
        id,
        '--privacy-policy-url',
        'https://links.example/privacy',
        '--terms-url',
        'https://links.example/terms',
      ],
      env,
    );
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stdout, /privacy policy: +https:\/\/links\.example\/privacy/);
    assert.match(both.stdout, /terms of service: +https:\/\/links\.example\/terms/);

    const bad = await run(['app', 'update', id, '--terms-url', 'javascript:alert(1)'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--terms-url: /);

    const removed = await run(['app', 'update', id, '--terms-url', ''], env);
    assert.equal(removed.code, 0, removed.stderr);
    const show = await run(['app', 'show', id, '--json'], env);
    const detail = JSON.parse(show.stdout);
    assert.equal(detail.terms_url, null);
    assert.equal(detail.privacy_policy_url, 'https://links.example/privacy', 'not given, so unchanged');
  });
});
