/**
 * The real app (buildApp) with the OIDC mount added before `ready()`, on a fresh database of the
 * current lane, plus a stub interaction that logs a fixed account in and consents to everything
 * asked. It is for the bare engine: its clients are static, not apps of the registry, so there is
 * no consent model to go through (loadExistingGrant keeps oidc-provider's default for them). Tests
 * of consent use engine-fixtures.ts, whose stand-in consents through the consent page's service.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/load-config.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import oidcPlugin, { type OidcPluginOptions } from '../../src/oidc/oidc.plugin.ts';
import { createProvider } from '../../src/oidc/provider.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

export const TEST_ACCOUNT = 'acct-test-1';
/** Not /oauth/interaction: the real login and consent pages live there. */
const STUB_INTERACTION_PATH = '/test/oidc-interaction';

export const CONFIDENTIAL_CLIENT: ClientMetadata = {
  client_id: 'rest-api-key-1',
  client_secret: 'client-secret-1',
  // two hosts, as Kakao apps often have (dev and prod): fine for pairwise subjects too
  redirect_uris: ['https://rp.example/callback', 'http://localhost:3000/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
};

/** A client whose secret is off (Kakao console): it authenticates with `none`, PKCE required. */
export const SECRET_OFF_CLIENT: ClientMetadata = {
  client_id: 'rest-api-key-2',
  redirect_uris: ['https://rp2.example/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

export interface OidcTestAppOptions {
  rewrite?: OidcPluginOptions['rewrite'];
  subjectFor?: (accountId: string, clientId: string) => Promise<string>;
  /** e.g. provider.use(...) post-middlewares, before the app is ready */
  configure?: (provider: Provider) => void;
}

export interface OidcTestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  provider: Provider;
}

export async function buildOidcTestApp(
  t: Pick<TestContext, 'after'>,
  options: OidcTestAppOptions = {},
): Promise<OidcTestApp> {
  const testDb = await createTestDatabase();
  const config = {
    ...loadConfig({ YEON_ENV: 'test', YEON_LOG_LEVEL: 'silent' }),
    database: testDb.config,
  };
  const db = createDb(config.database);
  await migrateToLatest(db);
  const app = await buildApp({ config, secrets: TEST_SECRETS, db, logger: false, oauthEngine: false });
  const provider = await createProvider({
    issuer: config.issuer,
    db,
    cookieKeys: ['test-oidc-cookie-key-0123456789abcdef'],
    clients: [CONFIDENTIAL_CLIENT, SECRET_OFF_CLIENT],
    subjectFor: options.subjectFor,
    interactionPath: STUB_INTERACTION_PATH,
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, nickname: 'Tester', picture: 'https://img.example/t.png' }),
    }),
  });
  options.configure?.(provider);
  await app.register(oidcPlugin, { provider, issuer: config.issuer, rewrite: options.rewrite });
  await app.register(async (scope) => stubInteraction(scope, provider));
  await app.ready();
  t.after(async () => {
    await app.close();
    await db.destroy();
    await testDb.drop();
  });
  return { app, db, config, provider };
}

/** Logs TEST_ACCOUNT in, then grants every scope asked for (oidc-provider example/routes). */
async function stubInteraction(app: FastifyInstance, provider: Provider): Promise<void> {
  app.get(`${STUB_INTERACTION_PATH}/:uid`, async (request, reply) => {
    const details = await provider.interactionDetails(request.raw, reply.raw);
    if (details.prompt.name === 'login') {
      const url = await provider.interactionResult(request.raw, reply.raw, {
        login: { accountId: TEST_ACCOUNT },
      });
      return reply.redirect(url, 303);
    }
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({
          accountId: details.session!.accountId,
          clientId: String(details.params.client_id),
        });
    const missing = details.prompt.details.missingOIDCScope as string[] | undefined;
    if (missing) grant.addOIDCScope(missing.join(' '));
    const grantId = await grant.save();
    const url = await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } });
    return reply.redirect(url, 303);
  });
}

/** Browser leg of a code flow with PKCE through the stub interaction; returns the code. */
export async function authorizeCode(
  app: FastifyInstance,
  issuer: string,
  params: { scope: string; state?: string; nonce?: string; client?: ClientMetadata },
): Promise<{ code: string; verifier: string; redirect: URL }> {
  const client = params.client ?? CONFIDENTIAL_CLIENT;
  const browser = new Agent(app);
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: client.redirect_uris![0]!,
    response_type: 'code',
    scope: params.scope,
    state: params.state ?? 'state-1',
    ...(params.nonce ? { nonce: params.nonce } : {}),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const origin = new URL(issuer).origin;
  // authorize → login → authorize/:uid → consent → authorize/:uid → redirect_uri
  let res = await browser.get(`/oauth/authorize?${query}`);
  for (let hop = 0; hop < 6; hop++) {
    const next = new URL(String(res.headers.location ?? ''), issuer);
    if (res.statusCode !== 303 || next.origin !== origin) break;
    res = await browser.get(next.pathname + next.search);
  }
  if (!res.headers.location)
    throw new Error(`authorize ended with ${res.statusCode}: ${res.body.replace(/\s+/g, ' ').slice(-700)}`);
  const redirect = new URL(String(res.headers.location));
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code: ${res.statusCode} ${res.headers.location ?? res.body}`);
  return { code, verifier, redirect };
}

/** POST /oauth/token, by default as the confidential test client. */
export function tokenRequest(
  app: FastifyInstance,
  params: Record<string, string>,
  auth: Record<string, string> = {
    client_id: CONFIDENTIAL_CLIENT.client_id,
    client_secret: CONFIDENTIAL_CLIENT.client_secret!,
  },
) {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: new URLSearchParams({ ...auth, ...params }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
  });
}
