/**
 * The OAuth/OIDC engine as one Fastify plugin for app.ts (docs/decisions/0002
 * "Registering in app.ts"): the Provider over the app's database, clients from the apps registry,
 * `sub` = the app user id, the Kakao layer around it, and `app.oidc` for other features
 * (`app.oidc.AccessToken.find(token)`, `app.oidc.Grant`…).
 */
import fp from 'fastify-plugin';
import type Provider from 'oidc-provider';
import type { Config } from '../config/load-config.ts';
import type { Secrets } from '../config/secrets.ts';
import type { Db } from '../db/create-db.ts';
import { kakaoOauthRoutes } from '../http/oauth/kakao-oauth.routes.ts';
import { installOauthOutageAnswer } from '../http/ops/oauth-outage.ts';
import { installOidcCors, oidcServesEveryOrigin } from '../kakao/cors.ts';
import type { Clock } from '../lib/clock.ts';
import { hmac } from '../lib/crypto.ts';
import { findAppUserId } from '../modules/connections/connections.repo.ts';
import { createAuthorizeCap } from './authorize-cap.ts';
import { createFindClient, findAppForClient, YEON_CLIENT_PROPERTIES } from './clients.ts';
import { createLoadExistingGrant } from './existing-grant.ts';
import { accountAtClientInRequest, createFindAccount } from './find-account.ts';
import { createInteractionConfig } from './interaction-policy.ts';
import { installKakaoLayer, kakaoRewrite } from './kakao-layer.ts';
import { createKakaoRenderError } from './kakao-layer-errors.ts';
import oidcPlugin from './oidc.plugin.ts';
import { createProvider } from './provider.ts';
import { scopedDb } from './token-transaction.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** the oidc-provider instance (models: AccessToken, RefreshToken, Grant, Session…) */
    oidc: Provider;
  }
}

/**
 * Kakao's `sub`/`id` is the app user id (Kakao's app user ID, 회원번호). It exists from the first consent
 * on, which comes before any token is issued; a missing one is a bug, not a state to paper over.
 */
export function createSubjectFor(db: Db) {
  return async (accountId: string, clientId: string): Promise<string> => {
    const read = accountAtClientInRequest(accountId, clientId);
    if (read?.appUserId !== undefined) return String(read.appUserId);
    // any client key of the app (REST API, JavaScript, native): the user id is per app, not per key
    const found = await findAppForClient(db, clientId);
    const appUserId = found && (await findAppUserId(scopedDb(db), found.app.id, accountId));
    if (appUserId === undefined) throw new Error(`no app user id for this account at client ${clientId}`);
    return String(appUserId);
  };
}

export interface EngineDeps {
  config: Config;
  secrets: Secrets;
  db: Db;
  clock?: Clock;
}

/**
 * The Provider, built before the Fastify plugin is registered: the first start generates an RSA
 * key, which must not count against the plugin start-up timeout.
 */
export async function buildOidcProvider({ config, secrets, db, clock }: EngineDeps): Promise<Provider> {
  const provider = await createProvider({
    issuer: config.issuer,
    db,
    clock,
    // Derived, so rotating the cookie secret rotates these too (oidc-provider signs its cookies).
    cookieKeys: [hmac(secrets.cookieSecret, 'oidc-provider-cookies')],
    findClient: createFindClient(db),
    extraClientProperties: YEON_CLIENT_PROPERTIES,
    subjectFor: createSubjectFor(db),
    findAccount: createFindAccount(db),
    loadExistingGrant: createLoadExistingGrant(db),
    // yeon's prompts and consent rules (src/oidc/interaction-policy.ts)
    ...createInteractionConfig({ config, db, clock }),
    renderError: createKakaoRenderError(db),
    sessionTtlS: Math.floor(config.sessionTtlMs / 1000),
    // CORS is decided by installOidcCors below, not by refusing requests (src/kakao/cors.ts)
    allowCorsOrigin: oidcServesEveryOrigin,
  });
  // first, so that it runs last: a database outage answers 503, whatever the layers below made of it
  installOauthOutageAnswer(provider);
  // before the Kakao layer, so that its reads after oidc-provider has answered run once the token
  // request's transaction has committed (refresh-grace.ts): on the bare handle, within it, they
  // would wait for it on SQLite
  installOidcCors(provider, db);
  installKakaoLayer(provider, db);
  return provider;
}

/** Registers the engine on Kakao's paths and decorates `app.oidc`. */
export const oidcEngine = fp<{ provider: Provider }>(
  async (app, { provider }) => {
    app.decorate('oidc', provider);
    await app.register(oidcPlugin, {
      provider,
      issuer: app.config.issuer,
      rewrite: (input) => kakaoRewrite(app.db, input),
      admit: createAuthorizeCap({
        db: app.db,
        clock: app.services.clock,
        limit: app.config.abuse.authorizePerIp,
        windowMs: app.config.abuse.authorizeWindowMs,
      }),
    });
    // Kakao's logout and tokeninfo: yeon routes next to the mount (Kakao REST API "Logout with
    // Kakao Account", OpenID Connect `/oauth/tokeninfo`)
    await app.register(kakaoOauthRoutes, { provider });
  },
  { name: 'oidc-engine' },
);
