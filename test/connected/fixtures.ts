/**
 * Fixtures for Manage Connected Services: the real app, a developer with two apps (case 1:
 * unlink callback set; case 2: none, with web, Android and iOS platforms), a person signed in
 * through the real pages (Agent) and linked to both as the consent page does
 * (`services.connections.agree`), holding a real access token at each.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CreateAppInput } from '../../src/modules/apps/apps.types.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { type KakaoApp, kapi, mintAccessToken } from '../kakao/helpers.ts';

export const PASSWORD = 'correct horse battery';

const CONSENT: CreateAppInput['consent_items'] = [
  { item: 'profile_nickname', mode: 'required' },
  { item: 'account_email', mode: 'optional' },
  { item: 'gender', mode: 'optional' },
];

export const CASE2_PLATFORMS = {
  site_urls: ['https://shop.example/leave'],
  android: {
    package_name: 'com.example.shop',
    market_url: 'https://play.google.com/store/apps/details?id=com.example.shop',
  },
  ios: { bundle_id: 'com.example.shop', app_store_url: 'https://apps.apple.com/app/id123456789' },
};

export async function createDeveloperApp(
  app: FastifyInstance,
  ownerId: string,
  input: Partial<CreateAppInput> & { name: string },
): Promise<KakaoApp> {
  const created = await app.services.apps.createApp(
    { accountId: ownerId },
    {
      company_name: 'Example Corp',
      privacy_policy_url: 'https://example.com/privacy',
      redirect_uris: ['https://rp.example/callback'],
      consent_items: CONSENT,
      ...input,
    },
  );
  return { ...created, ownerId };
}

export async function setupConnected(
  t: Pick<TestContext, 'after'>,
  options: { case2?: Partial<CreateAppInput>; headers?: Record<string, string> } = {},
) {
  const built = await buildTestApp(t);
  const { app, db } = built;
  const owner = await app.services.accounts.signUp({
    email: `dev-${randomBytes(3).toString('hex')}@example.com`,
    password: PASSWORD,
    nickname: 'Developer',
  });
  const case1 = await createDeveloperApp(app, owner.id, {
    name: 'Callback Shop',
    unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
  });
  const case2 = await createDeveloperApp(app, owner.id, {
    name: 'Quiet Shop',
    platforms: CASE2_PLATFORMS,
    ...options.case2,
  });
  const email = `person-${randomBytes(3).toString('hex')}@example.com`;
  const agent = new Agent(app, { 'accept-language': 'en', ...options.headers });
  await agent.signUp(email, PASSWORD, 'Person');
  const person = (await app.services.accounts.getByEmail(email))!;
  const items = ['profile_nickname', 'account_email'];
  const link1 = await app.services.connections.agree({ accountId: person.id, appId: case1.app_id, items });
  const link2 = await app.services.connections.agree({ accountId: person.id, appId: case2.app_id, items });
  const token1 = await mintAccessToken(app, person.id, case1);
  const token2 = await mintAccessToken(app, person.id, case2);
  return { ...built, app, db, owner, person, email, agent, case1, case2, link1, link2, token1, token2 };
}

/** oidc_payloads rows of this account at this app (by its REST API key = client_id). */
export async function oauthRows(db: FastifyInstance['db'], accountId: string, clientId: string) {
  return db
    .selectFrom('oidc_payloads')
    .select(['model', 'id'])
    .where('account_id', '=', accountId)
    .where('client_id', '=', clientId)
    .execute();
}

export async function notificationsOf(db: FastifyInstance['db'], appId: number) {
  return db
    .selectFrom('notifications')
    .select(['id', 'event_type', 'referrer_type', 'app_user_id', 'status'])
    .where('app_id', '=', appId)
    .where('is_test', '=', 0)
    .orderBy('created_at')
    .execute();
}

/** GET /v2/user/me with the token: Kakao's answer to a dead token is 401 {code: -401}. */
export async function userMe(app: FastifyInstance, token: string) {
  const res = await kapi(app, 'GET', '/v2/user/me', { bearer: token });
  return { status: res.statusCode, body: res.json() as { code?: number; id?: number } };
}
