/**
 * Two yeon instances on one database, as two processes behind a load balancer would be: each has
 * its own database handle, so its own in-memory caches (src/modules/apps/app-metadata-cache.ts),
 * and they share only what is in the database. A write through one is checked on the very next
 * request through the other (docs/decisions/0006-caches-and-revocation.md).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase, TEST_DB } from '../helpers/test-db.ts';
import {
  createKakaoApp,
  createPerson,
  type KakaoApp,
  kapi,
  link,
  mintAccessToken,
} from '../kakao/helpers.ts';

export interface Instance {
  app: FastifyInstance;
  db: Db;
}

/** Instances A and B on one fresh database of the lane (SQLite: one file on disk), one clock. */
export async function twoInstances(t: Pick<TestContext, 'after'>) {
  const dir = TEST_DB === 'sqlite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-two-')) : undefined;
  const testDb = await createTestDatabase(dir ? { sqliteFile: path.join(dir, 'yeon.db') } : {});
  const config = {
    ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent', YEON_MAX_EVENT_LOOP_DELAY_MS: '0' }),
    database: testDb.config,
  };
  // Now, so tokens minted by oidc-provider (its own clock) and key expiries agree.
  const clock = fakeClock(Date.now());
  const opened: Instance[] = [];
  t.after(async () => {
    for (const { app, db } of opened) {
      await app.close();
      await db.destroy();
    }
    await testDb.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 2; i += 1) {
    const db = createDb(config.database);
    if (i === 0) await migrateToLatest(db);
    const app = await buildApp({ config, secrets: TEST_SECRETS, db, clock, logger: false });
    opened.push({ app, db });
    await app.ready();
  }
  return { a: opened[0]!, b: opened[1]!, clock };
}

/** An app made on A with a person linked to it holding an access token. */
export async function linkedPerson(a: Instance) {
  const client = await createKakaoApp(a.app);
  const person = await createPerson(a.app, { nickname: '홍길동' });
  const linked = await link(a.app, person.id, client, ['profile_nickname', 'account_email']);
  const token = await mintAccessToken(a.app, person.id, client);
  return { client, person, appUserId: linked.appUserId, token };
}

export const ownerOf = (client: KakaoApp) => ({ accountId: client.ownerId });

/** The client as oidc-provider sees it on an instance (its `findClient`, every request). */
export async function clientOn(instance: Instance, clientId: string) {
  return instance.app.oidc.Client.find(clientId);
}

/**
 * A token request on an instance with a code that does not exist: a known client gets
 * `invalid_grant`, an unknown key `invalid_client`, so the answer says whether the key is a client.
 */
export async function tokenErrorOn(instance: Instance, client: KakaoApp, clientId: string) {
  const response = await instance.app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      client_secret: client.client_secret,
      redirect_uri: 'https://rp.example/callback',
      code: 'no-such-code',
    }).toString(),
  });
  assert.ok(response.statusCode >= 400 && response.statusCode < 500, response.body);
  return response.json().error as string;
}

export async function meOn(instance: Instance, token: string) {
  return kapi(instance.app, 'GET', '/v2/user/me', { bearer: token });
}
