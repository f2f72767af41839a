/**
 * What the bench needs in yeon's database before the server starts: a developer's app, people
 * linked to it (so login skips consent), refresh and access tokens minted by the real provider
 * (the rows /oauth/token writes; see test/kakao/helpers.ts), and a browser session. Runs in the
 * orchestrator's process through `buildApp`, never while the measured server is running.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { resolveKeyring } from '../../src/config/secrets.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export const PASSWORD = 'bench horse battery staple';
export const REDIRECT_URI = 'https://rp.bench.invalid/callback';
export const SCOPE = 'profile_nickname account_email';

export async function withServices<T>(
  env: Record<string, string>,
  fn: (app: FastifyInstance, db: Db) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({
    config,
    secrets: {
      cookieSecret: env.YEON_COOKIE_SECRET!,
      keyring: resolveKeyring(config).keyring,
      generated: false,
    },
    db,
    logger: false,
  });
  await app.ready();
  try {
    return await fn(app, db);
  } finally {
    await app.close();
    await db.destroy();
  }
}

export interface BasicFixture {
  clientId: string;
  appId: number;
  people: Array<{ id: string; email: string }>;
  refreshTokens: string[];
  accessToken: string;
}

let seq = 0;
async function person(app: FastifyInstance, tag: string) {
  seq += 1;
  return app.services.accounts.signUp({
    email: `${tag}${seq}@bench.invalid`,
    password: PASSWORD,
    nickname: `${tag}${seq}`,
  });
}

export async function createBenchApp(
  app: FastifyInstance,
  ownerId: string,
  name: string,
  unlinkCallbackUrl?: string,
) {
  return app.services.apps.createApp(
    { accountId: ownerId },
    {
      name,
      company_name: 'Bench Co',
      privacy_policy_url: 'https://rp.bench.invalid/privacy',
      redirect_uris: [REDIRECT_URI],
      client_secret_enabled: false,
      ...(unlinkCallbackUrl
        ? { unlink: { callback_url: unlinkCallbackUrl, method: 'POST', state: 'active', format: 'kakao' } }
        : {}),
      consent_items: [
        { item: 'profile_nickname', mode: 'required', purpose_en: 'Greeting', purpose_ko: '인사' },
        { item: 'account_email', mode: 'optional', purpose_en: 'Receipts', purpose_ko: '영수증' },
      ],
    },
  );
}

/** One app, `peopleCount` linked people, `tokenCount` reusable refresh tokens spread over them. */
export async function seedBasic(
  app: FastifyInstance,
  peopleCount: number,
  tokenCount: number,
): Promise<BasicFixture> {
  const owner = await person(app, 'dev');
  const created = await createBenchApp(app, owner.id, 'Bench Shop');
  const provider = app.oidc;
  const client = await provider.Client.find(created.rest_api_key);
  if (!client) throw new Error('the bench app is not an OAuth client');
  const people: BasicFixture['people'] = [];
  const grants: string[] = [];
  for (let i = 0; i < peopleCount; i++) {
    const p = await person(app, 'user');
    await app.services.connections.agree({
      accountId: p.id,
      appId: created.app_id,
      items: ['profile_nickname', 'account_email'],
    });
    people.push({ id: p.id, email: p.email });
    const grant = new provider.Grant({ accountId: p.id, clientId: client.clientId });
    grant.addOIDCScope(SCOPE);
    grants.push(await grant.save());
  }
  const refreshTokens: string[] = [];
  for (let i = 0; i < tokenCount; i++) {
    const k = i % peopleCount;
    const rt = new provider.RefreshToken({
      accountId: people[k]!.id,
      client,
      grantId: grants[k]!,
      scope: SCOPE,
      gty: 'authorization_code',
    });
    refreshTokens.push(await rt.save());
  }
  const at = new provider.AccessToken({
    accountId: people[0]!.id,
    client,
    grantId: grants[0]!,
    scope: SCOPE,
    gty: 'authorization_code',
  });
  return {
    clientId: created.rest_api_key,
    appId: created.app_id,
    people,
    refreshTokens,
    accessToken: await at.save(),
  };
}
