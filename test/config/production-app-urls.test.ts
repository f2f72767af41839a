/**
 * `yeon serve` in production refuses to start while an app holds a URL production refuses as
 * typed (apps.validation.ts `plainHttpInProduction`): a plain-http unlink callback, or a plain-http
 * redirect URI other than loopback (RFC 8252 §7.3). It exits non-zero with one line naming the
 * app and the URL, like the other production refusals (OWASP ASVS V14.1). Development starts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDb } from '../../src/db/create-db.ts';
import { findPlainHttpAppUrls } from '../../src/modules/apps/production-urls.ts';
import { startServer } from '../../src/server.ts';
import { laneEnv, run } from '../cli/cli-process.ts';

const PROD = {
  YEON_ENV: 'production',
  YEON_ISSUER: 'https://id.example.com',
  YEON_COOKIE_SECRET: 'Vq3n8Zr1-Lk0pWx7_Ty5Bc2Md9Fs4Gh6J',
  YEON_METRICS: 'false',
  YEON_SMTP_URL: 'smtp://127.0.0.1:9',
};

/** A lane database holding one app made in development, with `options`. */
async function withApp(t: Parameters<typeof laneEnv>[0], options: string[]) {
  const lane = await laneEnv(t);
  const user = await run(
    ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
    lane.env,
  );
  assert.equal(user.code, 0, user.stderr);
  const app = await run(
    ['app', 'create', '--name', 'Shop', '--owner', 'dev@example.com', '--json', ...options],
    lane.env,
  );
  assert.equal(app.code, 0, app.stderr);
  return { ...lane, appId: JSON.parse(app.stdout).app_id as number };
}

function ownLines(stderr: string): string[] {
  // oidc-provider's own warning about the Node.js version is not ours to count.
  return stderr
    .trim()
    .split('\n')
    .filter((l) => l && !l.startsWith('oidc-provider WARNING'));
}

describe('production refuses to start with plain-http app URLs', () => {
  it('names the app and its plain-http unlink callback in one line and exits non-zero', async (t) => {
    const { env, appId } = await withApp(t, [
      '--redirect-uri',
      'https://shop.example.com/cb',
      '--unlink-url',
      'http://127.0.0.1:9/unlink',
    ]);
    const res = await run(['serve'], { ...env, ...PROD, YEON_PORT: '0', YEON_HOST: '127.0.0.1' });
    assert.notEqual(res.code, 0);
    const lines = ownLines(res.stderr);
    assert.equal(lines.length, 1, res.stderr);
    assert.equal(
      lines[0],
      `yeon: configuration error: YEON_ENV: production refuses app ${appId} "Shop": its unlink callback URL ` +
        '"http://127.0.0.1:9/unlink" is plain http; change it to https:// (only loopback redirect URIs of native apps may stay http)',
    );
  });

  it('names a plain-http redirect URI saved before the rule, and leaves loopback ones alone', async (t) => {
    const { env, testDb, appId } = await withApp(t, [
      '--redirect-uri',
      'https://shop.example.com/cb',
      '--redirect-uri',
      'http://127.0.0.1:51004/cb',
    ]);
    const db = createDb(testDb.config);
    try {
      assert.deepEqual(await findPlainHttpAppUrls(db), [], 'https and loopback redirect URIs pass');
      // a row from before the rule (the console refuses to save it now)
      await db
        .updateTable('app_redirect_uris')
        .set({ uri: 'http://shop.example.com/cb' })
        .where('uri', '=', 'https://shop.example.com/cb')
        .execute();
    } finally {
      await db.destroy();
    }
    const res = await run(['serve'], { ...env, ...PROD, YEON_PORT: '0', YEON_HOST: '127.0.0.1' });
    assert.notEqual(res.code, 0);
    const lines = ownLines(res.stderr);
    assert.equal(lines.length, 1, res.stderr);
    assert.match(
      lines[0]!,
      new RegExp(
        `^yeon: configuration error: YEON_ENV: production refuses app ${appId} "Shop": its redirect URI "http://shop\\.example\\.com/cb" is plain http`,
      ),
    );
  });

  it('a measurement run (YEON_LOOPBACK_HTTP_ISSUER) keeps loopback callbacks, and only those', async (t) => {
    const { env, testDb, appId } = await withApp(t, [
      '--redirect-uri',
      'https://shop.example.com/cb',
      '--unlink-url',
      'http://127.0.0.1:9/unlink',
    ]);
    const measured = {
      ...env,
      ...PROD,
      YEON_ISSUER: 'http://127.0.0.1:8080',
      YEON_LOOPBACK_HTTP_ISSUER: 'true',
      // the SSRF guard refuses loopback in production unless told, as the bench tells it
      YEON_OUTBOUND_ALLOW: '127.0.0.0/8',
      YEON_PORT: '0',
      YEON_HOST: '127.0.0.1',
      YEON_DISPATCHER: 'off',
      YEON_LOG_LEVEL: 'silent',
    };
    const server = await startServer(measured);
    try {
      assert.equal((await server.app.inject({ url: '/healthz' })).statusCode, 200);
      // what the console and the API accept as typed follows the same rule
      const owner = await server.app.services.accounts.signUp({
        email: 'bench@example.com',
        password: 'correct horse battery',
        nickname: 'bench',
      });
      const made = (url: string) =>
        server.app.services.apps.createApp(
          { accountId: owner.id },
          {
            name: `Bench ${url}`,
            redirect_uris: ['https://rp.example.com/cb'],
            unlink: { callback_url: url, method: 'POST', state: 'active', format: 'kakao' },
          },
        );
      await made('http://127.0.0.1:9/loopback');
      await assert.rejects(
        made('http://hooks.example.com/unlink'),
        /https_required_in_production|validation/,
      );
    } finally {
      await server.close();
    }
    // a plain-http callback off loopback still stops the measured boot
    const db = createDb(testDb.config);
    try {
      await db
        .updateTable('apps')
        .set({ unlink_callback_url: 'http://hooks.example.com/unlink' })
        .where('id', '=', appId)
        .execute();
    } finally {
      await db.destroy();
    }
    const res = await run(['serve'], measured);
    assert.notEqual(res.code, 0);
    assert.match(
      ownLines(res.stderr)[0] ?? '',
      /its unlink callback URL "http:\/\/hooks\.example\.com\/unlink" is plain http/,
    );
  });

  it('development starts with the same plain-http URLs', async (t) => {
    const { env } = await withApp(t, [
      '--redirect-uri',
      'http://localhost:3000/cb',
      '--unlink-url',
      'http://127.0.0.1:9/unlink',
    ]);
    const server = await startServer({
      ...env,
      YEON_ENV: 'development',
      YEON_PORT: '0',
      YEON_HOST: '127.0.0.1',
      YEON_DISPATCHER: 'off',
      YEON_LOG_LEVEL: 'silent',
    });
    t.after(() => server.close());
    const res = await server.app.inject({ url: '/healthz' });
    assert.equal(res.statusCode, 200);
  });
});
