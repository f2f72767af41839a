/**
 * Secrets at rest (OWASP ASVS V6.2.1, V6.4.1; NIST SP 800-38D): app client secrets, admin keys,
 * webhook signing secrets and ID-token private keys are stored sealed with AES-256-GCM. A copy of
 * the database (the SQLite file and its WAL, or every PostgreSQL row) shows none of them, and
 * everything that uses them still works: KakaoAK, the client_secret token exchange, webhook
 * signatures, ID tokens. The key can be rotated all or nothing; the data folder and the SQLite
 * files are private to yeon's user.
 */
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { resolveSecrets } from '../../src/config/secrets.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { resealSecrets, SEALED_COLUMNS, sealWithCurrentKey } from '../../src/db/secrets-at-rest.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import {
  bindKeyring,
  createKeyring,
  isSealed,
  open,
  parseEncryptionKey,
  SealedValueError,
  seal,
} from '../../src/lib/encryption.ts';
import { loadJwks } from '../../src/oidc/signing-keys.ts';
import { startServer } from '../../src/server.ts';
import { laneEnv, run } from '../cli/cli-process.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase, TEST_DB } from '../helpers/test-db.ts';
import { kapi } from '../kakao/helpers.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { createCallbackApp, enqueueUnlinks, testDispatcher } from '../notifications/helpers.ts';
import { sharedDatabase } from '../notifications/processes.ts';
import { authorizeThroughEngine, createPerson, postForm, REDIRECT_URI } from '../oidc/engine-fixtures.ts';

function tempDir(t: Pick<TestContext, 'after'>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-at-rest-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The real app on a database whose bytes the test can read: a SQLite file, or its own PostgreSQL db. */
async function appOnDisk(t: TestContext) {
  const dir = tempDir(t);
  const testDb = await createTestDatabase({ sqliteFile: path.join(dir, 'data', 'yeon.db') });
  const config = { ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent' }), database: testDb.config };
  const db = createDb(config.database);
  await migrateToLatest(db);
  const clock = fakeClock(Date.now());
  const app = await buildApp({ config, secrets: TEST_SECRETS, db, clock, logger: false });
  await app.ready();
  t.after(async () => {
    await app.close();
    await db.destroy();
    await testDb.drop();
  });
  return { app, db, clock, dir, file: path.join(dir, 'data', 'yeon.db') };
}

/** Every byte a copy of the database would hold: the SQLite file and its WAL, or every row as text. */
async function databaseBytes(db: Db, file: string): Promise<string> {
  if (TEST_DB === 'sqlite') {
    return ['', '-wal']
      .map((suffix) =>
        fs.existsSync(file + suffix) ? fs.readFileSync(file + suffix).toString('latin1') : '',
      )
      .join('\n');
  }
  const tables = [...new Set(SEALED_COLUMNS.map((c) => c.table))];
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{
      row: string;
    }>`select row_to_json(t)::text as row from ${sql.table(table)} t`.execute(db);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('the sealed-value envelope (AES-256-GCM)', () => {
  const keyring = createKeyring(randomBytes(32));

  it('seals to enc:v1:<key id>:…, differently each time, and opens back', () => {
    const a = seal(keyring, 'whsec_secret');
    const b = seal(keyring, 'whsec_secret');
    assert.match(a, new RegExp(`^enc:v1:${keyring.current.id}:[\\w-]{16}:[\\w-]+$`));
    assert.notEqual(a, b, 'a fresh IV per value');
    assert.equal(open(keyring, a), 'whsec_secret');
    assert.equal(open(keyring, 'a legacy plain value'), 'a legacy plain value');
  });

  it('refuses a value with any changed character, including the key id in its header', () => {
    const sealed = seal(keyring, 'client secret value');
    for (let i = 'enc:v1:'.length; i < sealed.length; i++) {
      if (sealed[i] === ':') continue;
      const flipped = sealed[i] === 'A' ? 'B' : 'A';
      const tampered = sealed.slice(0, i) + flipped + sealed.slice(i + 1);
      assert.throws(() => open(keyring, tampered), SealedValueError, `position ${i}`);
    }
    assert.throws(() => open(keyring, `${sealed.slice(0, -2)}`), SealedValueError);
    assert.throws(() => open(keyring, 'enc:v1:abc'), SealedValueError);
  });

  it('refuses a value sealed under another key, and opens it with that key as a previous one', () => {
    const other = createKeyring(randomBytes(32));
    const sealed = seal(other, 'admin key');
    assert.throws(() => open(keyring, sealed), /does not hold/);
    const rolling = createKeyring(randomBytes(32), [other.current.key]);
    assert.equal(open(rolling, sealed), 'admin key');
  });

  it('reads keys as hex or base64 of exactly 32 bytes', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')])
      assert.deepEqual(parseEncryptionKey(text), bytes, text);
    for (const bad of ['', 'short', randomBytes(31).toString('hex'), randomBytes(33).toString('base64')])
      assert.equal(parseEncryptionKey(bad), undefined, bad);
  });
});

describe('secrets at rest', () => {
  it('a copy of the database shows no client secret, admin key, webhook secret or private key, and each still works', async (t) => {
    const { app, db, clock, file } = await appOnDisk(t);
    const rx = await startReceiver(t);
    const owner = await createPerson(app, 'Developer');
    const created = {
      ownerId: owner.id,
      ...(await app.services.apps.createApp(
        { accountId: owner.id },
        {
          name: 'Sealed App',
          redirect_uris: [REDIRECT_URI],
          consent_items: [{ item: 'profile_nickname', mode: 'required' }],
          client_secret_enabled: true,
          unlink: { callback_url: `${rx.url}/unlink`, method: 'POST', state: 'active', format: 'kakao' },
        },
      )),
    };
    const { keys } = await loadJwks(db);
    const privateD = keys.map((k) => k.d as string);
    assert.ok(privateD.length >= 1 && privateD.every((d) => d.length > 100));

    const bytes = await databaseBytes(db, file);
    const secrets = {
      admin_key: created.admin_key,
      client_secret: created.client_secret,
      webhook_secret: created.webhook_secret,
      webhook_secret_key: created.webhook_secret.slice('whsec_'.length),
      ...Object.fromEntries(privateD.map((d, i) => [`private d ${i}`, d])),
    };
    assert.ok(bytes.includes(created.rest_api_key), 'the copy is readable: client keys are public ids');
    for (const [name, value] of Object.entries(secrets))
      assert.equal(bytes.includes(value), false, `${name} is readable in the database copy`);

    // KakaoAK: the admin key is found by its hash.
    const ids = await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: created.admin_key });
    assert.equal(ids.statusCode, 200, ids.body);
    // one character changed (never to itself: a key ending in "0" made this the right key)
    const last = created.admin_key.slice(-1) === '0' ? '1' : '0';
    const wrong = await kapi(app, 'GET', '/v1/user/ids', {
      kakaoAK: `${created.admin_key.slice(0, -1)}${last}`,
    });
    assert.equal(wrong.statusCode, 401);

    // The console shows the developer their secrets as before.
    const detail = await app.services.apps.getAppDetail({ accountId: created.ownerId }, created.app_id);
    assert.equal(detail.client_secret.value, created.client_secret);
    assert.deepEqual(
      detail.keys.admin.map((k) => k.key),
      [created.admin_key],
    );
    assert.equal(detail.unlink.webhook_secrets[0]?.secret, created.webhook_secret);

    // client_secret token exchange, and the ID token verifies against the published JWKS.
    const person = await createPerson(app);
    const flow = await authorizeThroughEngine(app, {
      clientId: created.rest_api_key,
      appId: created.app_id,
      accountId: person.id,
      scope: 'openid,profile_nickname',
      nonce: 'n-2',
    });
    assert.ok(flow.code, `no code: ${flow.res.statusCode} ${flow.res.body}`);
    const exchange = (secret: string) =>
      postForm(app, '/oauth/token', {
        grant_type: 'authorization_code',
        client_id: created.rest_api_key,
        client_secret: secret,
        redirect_uri: REDIRECT_URI,
        code: flow.code!,
        code_verifier: flow.verifier,
      });
    assert.equal((await exchange(`${created.client_secret}x`)).statusCode, 401, 'a wrong secret is refused');
    const res = await exchange(created.client_secret);
    assert.equal(res.statusCode, 200, res.body);
    const idToken = String(res.json().id_token);
    const [header, payload, signature] = idToken.split('.') as [string, string, string];
    const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json() as {
      keys: Array<{ kid: string; kty: string; n: string; e: string; d?: string }>;
    };
    const jwk = jwks.keys.find((k) => k.kid === decodePart(header).kid);
    assert.ok(jwk && jwk.d === undefined, 'the JWKS publishes the public part only');
    const publicKey = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
    assert.ok(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    );
    assert.equal(decodePart(payload).nonce, 'n-2');

    // The unlink webhook carries the admin key and a signature the reference verifier accepts.
    await enqueueUnlinks(db, created.app_id, 1, clock.now());
    assert.equal((await testDispatcher(app, clock).tick()).delivered, 1);
    const seen = rx.requests[0]!;
    assert.equal(seen.headers.authorization, `KakaoAK ${created.admin_key}`);
    new Webhook(created.webhook_secret).verify(
      seen.body,
      {
        'webhook-id': String(seen.headers['webhook-id']),
        'webhook-timestamp': String(seen.headers['webhook-timestamp']),
        'webhook-signature': String(seen.headers['webhook-signature']),
      },
      { jsonParse: false },
    );
  });

  it('values written before encryption at rest are sealed at boot, in place, and keep working', async (t) => {
    const { app, db } = await appOnDisk(t);
    const created = await createCallbackApp(app, 'http://127.0.0.1:9/unlink');
    // What an older release left: plain text in every secret column.
    const keyring = TEST_SECRETS.keyring;
    for (const c of SEALED_COLUMNS) {
      const rows = (await db
        .selectFrom(c.table as 'apps')
        .selectAll()
        .execute()) as unknown as Array<Record<string, string | number>>;
      for (const row of rows) {
        if (c.only && row[c.only.column] !== c.only.value) continue;
        await db
          .updateTable(c.table as 'apps')
          .set({ [c.column]: open(keyring, String(row[c.column])) } as never)
          .where(c.id as 'id', '=', row[c.id] as number)
          .execute();
      }
    }
    const plain = await db
      .selectFrom('apps')
      .select('client_secret')
      .where('id', '=', created.app_id)
      .execute();
    assert.equal(plain[0]?.client_secret, created.client_secret);
    assert.equal(
      (await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: created.admin_key })).statusCode,
      200,
      'a legacy admin key is still found by its hash',
    );

    const sealed = await sealWithCurrentKey(db, keyring);
    assert.ok(sealed >= 4, `sealed ${sealed}`);
    assert.equal(await sealWithCurrentKey(db, keyring), 0, 'a second boot finds nothing to seal');
    const after = await db
      .selectFrom('apps')
      .select('client_secret')
      .where('id', '=', created.app_id)
      .execute();
    assert.ok(isSealed(after[0]!.client_secret));
    const detail = await app.services.apps.getAppDetail({ accountId: created.ownerId }, created.app_id);
    assert.equal(detail.client_secret.value, created.client_secret);
    assert.equal((await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: created.admin_key })).statusCode, 200);
  });

  it('yeon serve seals the plain values an older release left, right after the migrations', async (t) => {
    const { db, env, appIds, beforeDrop } = await sharedDatabase(t, 'http://127.0.0.1:9/unlink', 1);
    const appId = appIds[0]!;
    const keyring = TEST_SECRETS.keyring;
    const storedValues = async () => [
      (await db.selectFrom('apps').select('client_secret').where('id', '=', appId).executeTakeFirstOrThrow())
        .client_secret,
      (
        await db
          .selectFrom('app_keys')
          .select('key')
          .where('app_id', '=', appId)
          .where('kind', '=', 'admin')
          .executeTakeFirstOrThrow()
      ).key,
      (
        await db
          .selectFrom('app_webhook_secrets')
          .select('secret')
          .where('app_id', '=', appId)
          .executeTakeFirstOrThrow()
      ).secret,
    ];
    const [clientSecret, adminKey, webhookSecret] = (await storedValues()).map((v) => open(keyring, v)) as [
      string,
      string,
      string,
    ];
    await db.updateTable('apps').set({ client_secret: clientSecret }).where('id', '=', appId).execute();
    await db
      .updateTable('app_keys')
      .set({ key: adminKey })
      .where('app_id', '=', appId)
      .where('kind', '=', 'admin')
      .execute();
    await db
      .updateTable('app_webhook_secrets')
      .set({ secret: webhookSecret })
      .where('app_id', '=', appId)
      .execute();
    assert.deepEqual(await storedValues(), [clientSecret, adminKey, webhookSecret]);

    const server = await startServer({
      ...env,
      YEON_ENV: 'test',
      YEON_HOST: '127.0.0.1',
      YEON_PORT: '0',
      YEON_LOG_LEVEL: 'silent',
      YEON_DISPATCHER: 'off',
    });
    beforeDrop(() => server.close());
    const after = await storedValues();
    for (const value of after)
      assert.ok(value.startsWith(`enc:v1:${keyring.current.id}:`), value.slice(0, 12));
    assert.deepEqual(
      after.map((v) => open(keyring, v)),
      [clientSecret, adminKey, webhookSecret],
    );
    const ids = await kapi(server.app, 'GET', '/v1/user/ids', { kakaoAK: adminKey });
    assert.equal(ids.statusCode, 200, ids.body);
  });

  it('rotation re-seals every value under the new key in one transaction, and changes nothing if one value cannot be opened', async (t) => {
    const { app, db } = await appOnDisk(t);
    const created = await createCallbackApp(app, 'http://127.0.0.1:9/unlink');
    await createCallbackApp(app, 'http://127.0.0.1:9/other');
    await loadJwks(db);
    const oldKeyring = TEST_SECRETS.keyring;
    const newKeyring = createKeyring(randomBytes(32));
    const snapshot = async () => {
      const out: string[] = [];
      for (const c of SEALED_COLUMNS) {
        const rows = (await db
          .selectFrom(c.table as 'apps')
          .select([`${c.column} as value`, `${c.id} as id`] as never)
          .orderBy(c.id as 'id')
          .execute()) as unknown as Array<{ value: string; id: string }>;
        out.push(...rows.map((r) => `${c.table}.${r.id}=${r.value}`));
      }
      return out;
    };

    // One value sealed under a key nobody holds: the whole rotation is refused, nothing changes.
    const stranger = createKeyring(randomBytes(32));
    const before = await db
      .selectFrom('app_webhook_secrets')
      .select(['id', 'secret'])
      .where('app_id', '=', created.app_id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('app_webhook_secrets')
      .set({ secret: seal(stranger, 'whsec_unknown') })
      .where('id', '=', before.id)
      .execute();
    const untouched = await snapshot();
    await assert.rejects(resealSecrets(db, oldKeyring, newKeyring), SealedValueError);
    assert.deepEqual(await snapshot(), untouched, 'all or nothing');
    await db
      .updateTable('app_webhook_secrets')
      .set({ secret: before.secret })
      .where('id', '=', before.id)
      .execute();

    const count = await resealSecrets(db, oldKeyring, newKeyring);
    const rows = await snapshot();
    assert.equal(count, rows.filter((r) => r.includes('=enc:v1:')).length);
    assert.ok(
      rows
        .filter((r) => r.includes('=enc:v1:'))
        .every((r) => r.includes(`=enc:v1:${newKeyring.current.id}:`)),
    );

    // The old key opens nothing any more; the new key opens everything.
    const adminStored = await db
      .selectFrom('app_keys')
      .select('key')
      .where('app_id', '=', created.app_id)
      .where('kind', '=', 'admin')
      .executeTakeFirstOrThrow();
    assert.throws(() => open(oldKeyring, adminStored.key), SealedValueError);
    assert.equal(open(newKeyring, adminStored.key), created.admin_key);
    bindKeyring(db, newKeyring);
    const detail = await app.services.apps.getAppDetail({ accountId: created.ownerId }, created.app_id);
    assert.equal(detail.client_secret.value, created.client_secret);
    assert.equal(detail.unlink.webhook_secrets[0]?.secret, created.webhook_secret);
    assert.ok((await loadJwks(db)).keys[0]?.d);
  });
});

describe('yeon secrets rotate-key', () => {
  it('re-encrypts everything under the new key, which the app then reads; a wrong key changes nothing', async (t) => {
    const lane = await laneEnv(t);
    const config = {
      ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent' }),
      database: lane.testDb.config,
    };
    const db = createDb(config.database);
    await migrateToLatest(db);
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
    lane.beforeDrop(async () => {
      await app.close();
      await db.destroy();
    });
    const created = await createCallbackApp(app, 'http://127.0.0.1:9/unlink');
    const stored = async () =>
      (
        await db
          .selectFrom('apps')
          .select('client_secret')
          .where('id', '=', created.app_id)
          .executeTakeFirstOrThrow()
      ).client_secret;
    const before = await stored();

    const refused = await run(['secrets', 'rotate-key'], {
      ...lane.env,
      YEON_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      YEON_NEW_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /does not hold/);
    assert.equal(await stored(), before, 'nothing changed');

    const newKey = randomBytes(32);
    const keyFile = path.join(lane.dataDir, 'new.key');
    fs.writeFileSync(keyFile, `${newKey.toString('base64')}\n`, { mode: 0o600 });
    const rotated = await run(['secrets', 'rotate-key', '--new-key-file', keyFile, '--json'], lane.env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const result = JSON.parse(rotated.stdout);
    const newKeyring = createKeyring(newKey);
    assert.equal(result.to_key, newKeyring.current.id);
    assert.ok(result.resealed >= 4);
    const after = await stored();
    assert.ok(after.startsWith(`enc:v1:${newKeyring.current.id}:`));
    assert.throws(() => open(TEST_SECRETS.keyring, after), SealedValueError, 'the old key reads nothing');

    bindKeyring(db, newKeyring);
    const detail = await app.services.apps.getAppDetail({ accountId: created.ownerId }, created.app_id);
    assert.equal(detail.client_secret.value, created.client_secret);
    assert.equal(detail.keys.admin[0]?.key, created.admin_key);
    assert.equal((await kapi(app, 'GET', '/v1/user/ids', { kakaoAK: created.admin_key })).statusCode, 200);
  });
});

describe('private files', () => {
  it('creates the data folder 0700 and the SQLite files 0600, and tightens ones left open', {
    skip: TEST_DB === 'sqlite' ? false : 'SQLite files only',
  }, async (t) => {
    const dataDir = path.join(tempDir(t), 'data');
    const config = loadConfig({ YEON_DATA_DIR: dataDir });
    resolveSecrets(config);
    const db = createDb(config.database);
    await migrateToLatest(db);
    await db.destroy();
    const file = path.join(dataDir, 'yeon.db');
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    assert.equal(mode(dataDir), 0o700);
    for (const p of [file, path.join(dataDir, 'secrets.json')]) assert.equal(mode(p), 0o600, p);

    // An older release's modes: everything readable by everyone.
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(`${file}-wal`, '', { mode: 0o644 });
    fs.chmodSync(`${file}-wal`, 0o644);
    resolveSecrets(loadConfig({ YEON_DATA_DIR: dataDir }));
    const reopened = createDb(config.database);
    await migrateToLatest(reopened);
    await reopened.selectFrom('accounts').select('id').execute();
    for (const suffix of ['', '-wal', '-shm']) assert.equal(mode(file + suffix), 0o600, `yeon.db${suffix}`);
    assert.equal(mode(dataDir), 0o700);
    await reopened.destroy();
  });

  it('adds an encryption key to a secrets.json written before encryption at rest, keeping the cookie secret', (t) => {
    const dataDir = tempDir(t);
    const file = path.join(dataDir, 'secrets.json');
    const cookieSecret = randomBytes(32).toString('base64url');
    fs.writeFileSync(file, JSON.stringify({ cookieSecret, createdAt: '2026-11-01T00:00:00.000Z' }), {
      mode: 0o600,
    });
    const first = resolveSecrets(loadConfig({ YEON_DATA_DIR: dataDir }));
    assert.equal(first.cookieSecret, cookieSecret);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(parseEncryptionKey(stored.encryptionKey), first.keyring.current.key);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const again = resolveSecrets(loadConfig({ YEON_DATA_DIR: dataDir }));
    assert.equal(again.keyring.current.id, first.keyring.current.id, 'the added key is kept, not replaced');
  });
});
