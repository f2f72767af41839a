/**
 * People for the cluster and crash tests, and what they and their app see: an in-process yeon on
 * the cluster's own database to set things up (an app with an unlink callback, people linked to it
 * with a live token and a signed-in browser each), a loopback receiver that records every delivery
 * by `webhook-id`, and a person pressing Delete All Data through the real pages over HTTP.
 *
 * People are set up through the services, not the sign-up and login pages: a login hashes a
 * password (scrypt-sized work on purpose), and thousands of them would not fit the test's time
 * bound on two shared cores. What the tests measure, the unlinks, goes through HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { cookieNames } from '../../src/http/plugins/session.plugin.ts';
import { FetchBrowser } from '../clients/fetch-browser.ts';
import { type KakaoApp, mintAccessToken } from '../kakao/helpers.ts';
import { insertAccount } from '../notifications/helpers.ts';
import { TEST_SECRETS } from './build-test-app.ts';
import type { TestDatabase } from './test-db.ts';

type After = Pick<TestContext, 'after'>;

/** The real app in this process on the cluster's database, migrated before any instance starts. */
export async function setupApp(t: After, testDb: TestDatabase, issuer: string) {
  const config = {
    ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent', YEON_ISSUER: issuer }),
    database: testDb.config,
  };
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false });
  await app.ready();
  t.after(async () => {
    await app.close();
    await db.destroy();
  });
  return { app, db };
}

/** A developer's app with Kakao's unlink callback (POST, Kakao format) at `callbackUrl`. */
export async function callbackApp(app: FastifyInstance, callbackUrl: string): Promise<KakaoApp> {
  const owner = await insertAccount(app.db, 'developer');
  const created = await app.services.apps.createApp(
    { accountId: owner },
    {
      name: 'Cluster Shop',
      company_name: 'Cluster Co',
      privacy_policy_url: 'https://example.com/privacy',
      redirect_uris: ['https://rp.example/callback'],
      consent_items: [{ item: 'profile_nickname', mode: 'required' }],
      unlink: { callback_url: callbackUrl, method: 'POST', state: 'active' },
    },
  );
  return { ...created, ownerId: owner };
}

export interface LinkedPerson {
  accountId: string;
  appUserId: number;
  /** a live access token at the app */
  token: string;
  /** the value of a signed-in browser's session cookie */
  session: string;
}

/** `count` people linked to `client`, each with a token and a session, `parallel` at a time. */
export async function linkedPeople(
  app: FastifyInstance,
  client: KakaoApp,
  count: number,
  parallel = 8,
): Promise<LinkedPerson[]> {
  const people: LinkedPerson[] = new Array(count);
  let next = 0;
  const one = async () => {
    while (next < count) {
      const i = next++;
      const accountId = await insertAccount(app.db, 'person');
      const linked = await app.services.connections.agree({
        accountId,
        appId: client.app_id,
        items: ['profile_nickname'],
      });
      const token = await mintAccessToken(app, accountId, client, 'profile_nickname');
      const { token: session } = await app.services.sessions.start({ accountId, remember: false });
      people[i] = { accountId, appUserId: Number(linked.appUserId), token, session };
    }
  };
  await Promise.all(Array.from({ length: parallel }, one));
  return people;
}

export interface Delivery {
  count: number;
  firstAt: number;
  userId: number;
}

export interface Receiver {
  url: string;
  /** deliveries per webhook-id */
  byId: Map<string, Delivery>;
  /** webhook-ids per app user id */
  idsOfUser: Map<number, Set<string>>;
  total(): number;
}

/** The app's unlink callback on loopback: answers 200 after a short random delay, records each try. */
export async function receiver(t: After, maxDelayMs = 20): Promise<Receiver> {
  const byId = new Map<string, Delivery>();
  const idsOfUser = new Map<number, Set<string>>();
  let total = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      // Kakao's form body (`app_id`, `user_id`, `referrer_type`); the query for a GET callback.
      const form = new URLSearchParams(body || (req.url ?? '').split('?')[1] || '');
      const userId = Number(form.get('user_id'));
      total++;
      const seen = byId.get(id);
      if (seen) seen.count++;
      else byId.set(id, { count: 1, firstAt: Date.now(), userId });
      const ids = idsOfUser.get(userId) ?? new Set<string>();
      ids.add(id);
      idsOfUser.set(userId, ids);
      setTimeout(() => res.end('ok'), Math.floor(Math.random() * maxDelayMs));
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/unlink`,
    byId,
    idsOfUser,
    total: () => total,
  };
}

/**
 * What one press of Delete All Data came to: `committed` when yeon answered the form with its 303
 * to the receipt (the unlink committed), `gone` when the confirm page says the app is no longer
 * connected (an earlier try committed, its answer lost), `failed` for anything else, which the
 * person may retry: no answer, a 5xx, a connection cut by a killed instance.
 */
export type PressResult = { outcome: 'committed' | 'gone' } | { outcome: 'failed'; why: string };

export async function pressDeleteAllData(
  baseUrl: string,
  person: LinkedPerson,
  appId: number,
): Promise<PressResult> {
  const browser = new FetchBrowser(baseUrl);
  browser.cookies.set(cookieNames(baseUrl.startsWith('https:')).session, person.session);
  const path = `/account/connected-services/${appId}/delete-all`;
  try {
    const page = await browser.request(path);
    const html = await page.text();
    if (page.status === 404) return { outcome: 'gone' };
    if (page.status !== 200) return { outcome: 'failed', why: `confirm page ${page.status}` };
    browser.lastHtml = html;
    const { action, csrf } = browser.form('/delete-all');
    const res = await browser.request(action, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await res.arrayBuffer();
    if (res.status === 303 && (res.headers.get('location') ?? '').endsWith('/receipt'))
      return { outcome: 'committed' };
    if (res.status === 404) return { outcome: 'gone' };
    return { outcome: 'failed', why: `form answered ${res.status}` };
  } catch (err) {
    return { outcome: 'failed', why: (err as Error).message };
  }
}

/** Rows that would let `accountId` still reach the app: its grant, codes and tokens. */
export async function oauthRowsLeft(db: Db, accountIds: string[], clientId: string): Promise<number> {
  let left = 0;
  for (let i = 0; i < accountIds.length; i += 500) {
    const row = await db
      .selectFrom('oidc_payloads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', 'in', accountIds.slice(i, i + 500))
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    left += Number(row.n);
  }
  return left;
}

/** Runs `work(i)` for i in [0, count) with at most `parallel` at a time. */
export async function pool(count: number, parallel: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const one = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: parallel }, one));
}
