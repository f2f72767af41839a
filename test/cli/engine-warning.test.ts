/**
 * Every `yeon` command prints only its own output: oidc-provider's "Unsupported runtime" line,
 * printed on import under Node 20 (which yeon supports and tests), is silenced where the CLI loads
 * the engine, and nothing else on stderr is hidden.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

describe('yeon and the engine runtime warning', () => {
  it('yeon --help and yeon app list print nothing on stderr', async (t) => {
    const help = await run(['--help'], {});
    assert.equal(help.code, 0, help.stderr);
    assert.doesNotMatch(help.stderr, /Unsupported runtime/);
    assert.equal(help.stderr, '');
    assert.match(help.stdout, /Usage: yeon/);

    const { env } = await laneEnv(t);
    const list = await run(['app', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stderr, '');
    assert.equal(list.stdout, 'no apps\n');
  });

  it('still prints real errors on stderr', async () => {
    const bad = await run(['app', 'show', 'not-a-number'], {});
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /APP_ID: "not-a-number" is not a numeric app id/);
    assert.doesNotMatch(bad.stderr, /Unsupported runtime/);
  });
});
