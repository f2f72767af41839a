/**
 * A stolen copy of the database (OWASP ASVS V6.1, V3.5): after yeon has issued everything it
 * issues — an app with a client secret, an admin key and a callback signing secret, an ID-token
 * signing key, a person's code, access token and refresh token, a page session and a trusted-device
 * cookie, a developer token — a copy of the database (the SQLite file and its WAL copied aside, or
 * every row of every table on PostgreSQL) holds none of those values, while each of them still
 * works against the running yeon. So a leaked copy lets no one act as a person or an app.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadJwks } from '../../src/oidc/signing-keys.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase, TEST_DB } from '../helpers/test-db.ts';
import { authorizeThroughEngine, createPerson, postForm, REDIRECT_URI } from '../oidc/engine-fixtures.ts';

const PASSWORD = 'correct horse battery';

async function appOnDisk(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-copy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'data', 'yeon.db');
  const testDb = await createTestDatabase({ sqliteFile: file });
  const config = { ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent' }), database: testDb.config };
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
  await app.ready();
  t.after(async () => {
    await app.close();
    await db.destroy();
    await testDb.drop();
  });
  return { app, db, dir, file };
}

type Db = Awaited<ReturnType<typeof appOnDisk>>['db'];

/** The copy an attacker would take: the files copied aside, or every row of every table. */
async function stolenCopy(db: Db, file: string, dir: string): Promise<string> {
  if (TEST_DB === 'sqlite') {
    const copyDir = fs.mkdtempSync(path.join(dir, 'stolen-'));
    const parts: string[] = [];
    for (const suffix of ['', '-wal']) {
      if (!fs.existsSync(file + suffix)) continue;
      const copy = path.join(copyDir, `yeon.db${suffix}`);
      fs.copyFileSync(file + suffix, copy);
      parts.push(fs.readFileSync(copy).toString('latin1'));
    }
    return parts.join('\n');
  }
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await sql<{
      row: string;
    }>`select row_to_json(t)::text as row from ${sql.table(name)} t`.execute(db);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe('a stolen copy of the database', () => {
  it('holds no token, session, secret or private key that yeon issued, and each of them still works', async (t) => {
    const { app, db, dir, file } = await appOnDisk(t);

    // An app with every secret a developer holds.
    const developer = await createPerson(app, 'Developer');
    const created = await app.services.apps.createApp(
      { accountId: developer.id },
      {
        name: 'Copied App',
        redirect_uris: [REDIRECT_URI],
        consent_items: [{ item: 'profile_nickname', mode: 'required' }],
        client_secret_enabled: true,
        unlink: {
          callback_url: 'http://127.0.0.1:9/unlink',
          method: 'POST',
          state: 'active',
          format: 'kakao',
        },
      },
    );
    const developerToken = await app.services.developerTokens.createToken(developer.id, 'ci');

    // A person who signed in on a page, trusted this browser, and let the app in.
    const person = await createPerson(app, '홍길동');
    const browser = new Agent(app);
    await browser.get('/login');
    const login = await browser.post('/login', { email: person.email, password: PASSWORD, remember: '1' });
    assert.equal(login.statusCode, 303, login.body);
    const cookies = new Map(browser.cookies);
    const sessionCookie = [...cookies].find(([name]) => name.endsWith('yeon_session'))?.[1];
    const deviceCookie = [...cookies].find(([name]) => name.endsWith('yeon_device'))?.[1];
    assert.ok(sessionCookie && deviceCookie, `cookies: ${[...cookies.keys()]}`);

    const flow = await authorizeThroughEngine(app, {
      clientId: created.rest_api_key,
      appId: created.app_id,
      accountId: person.id,
      scope: 'profile_nickname',
    });
    assert.ok(flow.code);
    const tokens = await postForm(app, '/oauth/token', {
      grant_type: 'authorization_code',
      client_id: created.rest_api_key,
      client_secret: created.client_secret,
      redirect_uri: REDIRECT_URI,
      code: flow.code,
      code_verifier: flow.verifier,
    });
    assert.equal(tokens.statusCode, 200, tokens.body);
    const { access_token, refresh_token } = tokens.json() as { access_token: string; refresh_token: string };
    const privateKeys = (await loadJwks(db)).keys.map((k) => k.d as string);

    const copy = await stolenCopy(db, file, dir);
    assert.ok(
      copy.includes(created.rest_api_key),
      'the copy is readable: REST API keys are public client ids',
    );
    const mustNotAppear: Record<string, string> = {
      'authorization code': flow.code,
      'access token': access_token,
      'refresh token': refresh_token,
      'page session cookie': sessionCookie,
      'trusted-device cookie': deviceCookie,
      'developer token': developerToken.token,
      'client secret': created.client_secret,
      'admin key': created.admin_key,
      'callback signing secret': created.webhook_secret.slice('whsec_'.length),
      ...Object.fromEntries(privateKeys.map((d, i) => [`ID-token private key ${i}`, d])),
    };
    for (const [what, value] of Object.entries(mustNotAppear)) {
      assert.ok(value.length >= 16, `${what} is a real value`);
      assert.equal(copy.includes(value), false, `the ${what} is readable in a copy of the database`);
    }

    // Each value is live: the copy missed them because they are stored hashed or sealed.
    const me = await app.inject({
      method: 'GET',
      url: '/v2/user/me',
      headers: { authorization: `Bearer ${access_token}` },
    });
    assert.equal(me.statusCode, 200, me.body);
    const ids = await app.inject({
      method: 'GET',
      url: '/v1/user/ids',
      headers: { authorization: `KakaoAK ${created.admin_key}` },
    });
    assert.equal(ids.statusCode, 200, ids.body);
    assert.equal((await browser.get('/account')).statusCode, 200);
    assert.ok(await app.services.developerTokens.authenticate(developerToken.token));
    const refreshed = await postForm(app, '/oauth/token', {
      grant_type: 'refresh_token',
      client_id: created.rest_api_key,
      client_secret: created.client_secret,
      refresh_token,
    });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
  });
});
