/**
 * Fixtures for the Kakao user API tests: the real app (buildTestApp), a developer's app, a person
 * linked to it through `services.connections.agree` (as the consent page does), and a real access
 * token minted by the real provider: a Grant plus an opaque AccessToken stored through our adapter,
 * the same rows the token endpoint writes (oidc-provider docs/README.md "Grant", models).
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { CreateAppInput, CreatedApp } from '../../src/modules/apps/apps.types.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

let counter = 0;

export async function createPerson(app: FastifyInstance, fields: { nickname?: string } = {}) {
  counter += 1;
  return app.services.accounts.signUp({
    email: `kakao${counter}-${randomBytes(3).toString('hex')}@example.com`,
    password: 'correct horse battery',
    nickname: fields.nickname ?? 'Person',
  });
}

export interface KakaoApp extends CreatedApp {
  ownerId: string;
}

/** Nickname required, email optional, name during-use, gender off (unless `input` says otherwise). */
export async function createKakaoApp(
  app: FastifyInstance,
  input: Partial<CreateAppInput> = {},
): Promise<KakaoApp> {
  const owner = await createPerson(app, { nickname: 'Developer' });
  const created = await app.services.apps.createApp(
    { accountId: owner.id },
    {
      name: 'Kakao API App',
      redirect_uris: ['https://rp.example/callback'],
      consent_items: [
        { item: 'profile_nickname', mode: 'required' },
        { item: 'account_email', mode: 'optional' },
        { item: 'name', mode: 'during_use' },
      ],
      ...input,
    },
  );
  return { ...created, ownerId: owner.id };
}

/** Links `accountId` to the app with `items` (the consent page's call). */
export async function link(app: FastifyInstance, accountId: string, client: KakaoApp, items: string[]) {
  return app.services.connections.agree({ accountId, appId: client.app_id, items });
}

/** A live access token of `accountId` at `client`, as the token endpoint would store it. */
export async function mintAccessToken(
  app: FastifyInstance,
  accountId: string,
  client: KakaoApp,
  scope = 'profile_nickname account_email',
): Promise<string> {
  const provider = app.oidc;
  const clientId = client.rest_api_key;
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const oidcClient = await provider.Client.find(clientId);
  if (!oidcClient) throw new Error('the app is not an OAuth client (Kakao Login off?)');
  const token = new provider.AccessToken({
    accountId,
    client: oidcClient,
    grantId,
    scope,
    gty: 'authorization_code',
  });
  return token.save();
}

/** A fresh app with one developer app and one linked person holding a token. */
export async function setup(
  t: Pick<TestContext, 'after'>,
  input: Partial<CreateAppInput> = {},
  env: Record<string, string> = {},
) {
  const built = await buildTestApp(t, { env });
  const client = await createKakaoApp(built.app, input);
  const person = await createPerson(built.app, { nickname: '홍길동' });
  const linked = await link(built.app, person.id, client, ['profile_nickname', 'account_email']);
  const token = await mintAccessToken(built.app, person.id, client);
  return { ...built, client, person, appUserId: linked.appUserId, token };
}

type Method = 'GET' | 'POST';

/** A Kakao API call: form body on POST (Kakao's SDKs), query on GET. */
export function kapi(
  app: FastifyInstance,
  method: Method,
  url: string,
  auth: { bearer?: string; kakaoAK?: string } = {},
  params: Record<string, string> = {},
) {
  const headers: Record<string, string> = {};
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.kakaoAK) headers.authorization = `KakaoAK ${auth.kakaoAK}`;
  const options: InjectOptions = { method, url, headers };
  const encoded = new URLSearchParams(params).toString();
  if (method === 'GET') {
    if (encoded) options.url = `${url}${url.includes('?') ? '&' : '?'}${encoded}`;
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=utf-8';
    options.payload = encoded;
  }
  return app.inject(options);
}
