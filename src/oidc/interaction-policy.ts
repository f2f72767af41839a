/**
 * yeon's interaction policy for oidc-provider (docs/decisions/0002 "Constraints" 2, 4)
 * and the authorize-time scope defaults. Prompts, in order:
 * - `create` (Kakao: sign up first) and `select_account` (Kakao: account chooser): requestable only;
 *   oidc-provider refuses prompt values that no Prompt declares.
 * - `login`: oidc-provider's checks + `yeon_session`: yeon's browser session is the single truth,
 *   so an oidc-provider session whose account is not the one signed in to yeon (logged out, or
 *   another person) asks for login again (→ `login_required` under prompt=none).
 * - `consent`: oidc-provider's checks + `yeon_consent` from consent-plan.ts: the first link, newly
 *   required items and explicitly requested items not agreed yet (→ `consent_required`).
 */
import type { IncomingMessage } from 'node:http';
import {
  type Configuration,
  type FindAccount,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/create-db.ts';
import { cookieNames } from '../http/plugins/session.plugin.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { listConsentItems } from '../modules/apps/apps.repo.ts';
import { consentStateOf } from '../modules/connections/consent-state.ts';
import { createSessionService } from '../modules/sessions/sessions.service.ts';
import { defaultItems, itemsOfScope, planConsent } from './consent-plan.ts';
import { appIdOfClient } from './consent-state.ts';
import { consentStateFor, createLoadExistingGrant } from './existing-grant.ts';
import { createFindAccount } from './find-account.ts';

const { Prompt, Check, base } = interactionPolicy;

/** Set (to '1') by yeon when the RP named no consent items and the default screen was filled in. */
export const DEFAULT_SCOPE_PARAM = 'yeon_default_scope';

export interface YeonSignIn {
  accountId: string;
  /** when the person signed in to yeon, epoch seconds (the ID token's `auth_time`) */
  loginTs: number;
}

export interface PolicyDeps {
  db: Db;
  /** yeon's browser session carried by this request, if any */
  yeonSignInOf(req: IncomingMessage, cookie: string | undefined): Promise<YeonSignIn | undefined>;
  /** yeon's session cookie name (session.plugin.ts cookieNames) */
  sessionCookie: string;
  /** the engine's own account and grant loaders (find-account.ts, existing-grant.ts) */
  findAccount: FindAccount;
  loadExistingGrant: NonNullable<Configuration['loadExistingGrant']>;
}

/** The consent plan of this authorization request for the session's account. */
export async function planForRequest(db: Db, ctx: KoaContextWithOIDC) {
  const appId = appIdOfClient(ctx.oidc.client);
  if (appId === undefined) return undefined;
  const state = await consentStateFor(db, ctx, appId, ctx.oidc.session?.accountId);
  const scope = ctx.oidc.params?.scope as string | undefined;
  return planConsent({
    modes: state.modes,
    agreed: state.agreed,
    requested: itemsOfScope(scope),
    implicit: ctx.oidc.params?.[DEFAULT_SCOPE_PARAM] === '1',
  });
}

export function createInteractionPolicy(
  deps: PolicyDeps,
): NonNullable<Configuration['interactions']>['policy'] {
  const policy = base();

  policy.get('login')!.checks.add(
    new Check(
      'yeon_session',
      'the signed-in yeon account is not the authenticated subject',
      'login_required',
      async (ctx) => {
        const { oidc } = ctx;
        if (!oidc.session?.accountId || oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
        const cookie = ctx.cookies.get(deps.sessionCookie, { signed: false });
        const yeon = await deps.yeonSignInOf(ctx.req, cookie);
        return yeon?.accountId === oidc.session.accountId ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
      },
    ),
  );

  // Kakao's native SDKs log a person in without a consent page once the app is linked; the
  // RFC 8252 §8.6 rule that every native-client request show one (oidc-provider's
  // `native_client_prompt`) would put a page in front of every mobile login and fail `prompt=none`.
  // yeon's own consent rule below still asks whenever something is not agreed yet.
  policy.get('consent')!.checks.remove('native_client_prompt');

  policy.get('consent')!.checks.add(
    new Check('yeon_consent', 'the app asks for items not agreed yet', 'consent_required', async (ctx) => {
      // The person answered this request's consent page already: that answer is final here.
      if (ctx.oidc.result?.consent) return Check.NO_NEED_TO_PROMPT;
      const plan = await planForRequest(deps.db, ctx);
      return plan?.needed ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT;
    }),
  );

  // Before login: the person's yeon sign-in, if any, becomes the engine's session (below).
  policy.add(
    new Prompt(
      { name: YEON_SIGN_IN_PROMPT, requestable: false },
      new Check('yeon_sign_in', 'adopts the yeon sign-in', 'login_required', async (ctx) => {
        await adoptYeonSignIn(deps, ctx);
        return Check.NO_NEED_TO_PROMPT;
      }),
    ),
    0,
  );
  // Before that: a sign-up or an account choice ends in a login too (interaction.routes.ts).
  policy.add(new Prompt({ name: 'select_account', requestable: true }), 0);
  policy.add(new Prompt({ name: 'create', requestable: true }), 0);
  return policy;
}

/** A prompt that never asks anything: it only runs `adoptYeonSignIn` before the login checks. */
const YEON_SIGN_IN_PROMPT = 'yeon_sign_in';

/**
 * Kakao keeps one account session for its pages and its authorization endpoint: a person signed in
 * to their Kakao Account is not asked to log in again, and `prompt=none` is answered without any
 * page when consent exists (Kakao REST API "Request authorization code": `prompt=none`, "auto-login").
 * yeon's pages have their own session; when the engine has none for this browser, the yeon
 * sign-in becomes the engine's, exactly as oidc-provider's `loadAccount` and `loadGrant` would
 * have loaded it (lib/actions/authorization/session.js), so the login and consent checks that
 * follow see a signed-in person. Not when the request asks for the password (`prompt=login`), an
 * account choice or a sign-up: those prompts stay in charge; `max_age` is checked against the
 * yeon sign-in's time by oidc-provider's own check.
 */
async function adoptYeonSignIn(deps: PolicyDeps, ctx: KoaContextWithOIDC): Promise<void> {
  const { oidc } = ctx;
  const session = oidc.session;
  if (!session || session.accountId || !oidc.client) return;
  if (['login', 'select_account', 'create'].some((p) => oidc.prompts.has(p))) return;
  const cookie = ctx.cookies.get(deps.sessionCookie, { signed: false });
  const yeon = await deps.yeonSignInOf(ctx.req, cookie);
  if (!yeon) return;
  const account = await deps.findAccount(ctx, yeon.accountId);
  if (!account) return;
  session.loginAccount({ accountId: yeon.accountId, loginTs: yeon.loginTs });
  oidc.entity('Account', account);
  const clientId = oidc.client.clientId;
  let grant = await deps.loadExistingGrant(ctx);
  if (grant) {
    session.ensureClientContainer(clientId);
    session.grantIdFor(clientId, grant.jti);
  } else {
    grant = new oidc.provider.Grant({ accountId: yeon.accountId, clientId });
  }
  oidc.entity('Grant', grant);
}

/**
 * `extraParams` entry: an authorize request whose `scope` names no consent item gets the app's
 * default screen (required + optional items) added to `scope`, so Kakao clients that send no
 * scope at all (passport-kakao, Auth.js) get tokens for what was agreed, and the marker tells the
 * consent plan that the items were not named by the RP. Runs on /oauth/authorize only (not on
 * resume), after oidc-provider's own scope checks; a marker the client sends is overwritten.
 */
export function createScopeDefaults(db: Db): Record<string, (ctx: KoaContextWithOIDC) => Promise<void>> {
  return {
    [DEFAULT_SCOPE_PARAM]: async (ctx: KoaContextWithOIDC) => {
      const params = ctx.oidc.params!;
      params[DEFAULT_SCOPE_PARAM] = undefined;
      const appId = appIdOfClient(ctx.oidc.client);
      const scope = params.scope as string | undefined;
      if (appId === undefined || itemsOfScope(scope).length > 0) return;
      const items = await listConsentItems(db, appId);
      const defaults = defaultItems(consentStateOf({ items, consents: undefined }).modes);
      if (defaults.length === 0) return;
      params.scope = [...new Set([...(scope ? scope.split(' ') : []), ...defaults])].join(' ');
      params[DEFAULT_SCOPE_PARAM] = '1';
    },
  };
}

/**
 * Everything the engine passes to createProvider for the interaction work, in one call
 * (engine.ts: `...createInteractionConfig({ config, db, clock })`).
 */
export function createInteractionConfig(deps: { config: Config; db: Db; clock?: Clock }) {
  const { config, db } = deps;
  // The same session service the pages use (session.plugin.ts), over the same table.
  const sessions = createSessionService(db, deps.clock ?? systemClock, {
    ttlMs: config.sessionTtlMs,
    rememberMs: config.sessionRememberMs,
  });
  return {
    interactionPolicy: createInteractionPolicy({
      db,
      sessionCookie: cookieNames(config.secureCookies).session,
      yeonSignInOf: async (_req, cookie) => {
        const found = cookie ? await sessions.resolve(cookie) : undefined;
        return found
          ? { accountId: found.account.id, loginTs: Math.floor(found.session.created_at / 1000) }
          : undefined;
      },
      findAccount: createFindAccount(db),
      loadExistingGrant: createLoadExistingGrant(db),
    }),
    extraParamValidators: createScopeDefaults(db),
  };
}
