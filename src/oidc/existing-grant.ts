/**
 * oidc-provider's `loadExistingGrant`: the Grant is a mirror of the connection, never
 * more. For a linked account it is rebuilt on every authorization request from the LIVE consents
 * (a withdrawn item drops out at once), so a linked app whose agreed items cover the
 * request skips consent even with a new oidc-provider session, in a new browser. For an account
 * that is not linked there is no grant: the consent prompt (interaction-policy.ts) links first.
 *
 * Requested scopes that are not agreed are recorded as "rejected" so that oidc-provider's own
 * `op_scopes_missing` check stays quiet; whether to ask again is decided by yeon's consent check
 * from consent-plan.ts alone (Kakao re-asks only for named or newly required items, §4.1).
 */

import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { loadConsentState } from '../modules/connections/consent-reads.ts';
import type { ConsentState } from '../modules/connections/consent-state.ts';
import { scopesOfItems } from './consent-plan.ts';
import { appIdOfClient, oidcEnabledForClient } from './consent-state.ts';

type Grant = InstanceType<Provider['Grant']>;

const perRequest = new WeakMap<object, Map<string, Promise<ConsentState>>>();

/**
 * The live consent state of (app, account), read once per oidc-provider request: the resume step
 * asks twice, in `loadExistingGrant` and in the `yeon_consent` check (three
 * queries less per login). Held by the request's context only, so it dies with the request and
 * is never served to another one; nothing in one request changes consents between the two reads.
 */
export function consentStateFor(
  db: Db,
  ctx: object,
  appId: number,
  accountId: string | undefined,
): Promise<ConsentState> {
  let states = perRequest.get(ctx);
  if (!states) {
    states = new Map();
    perRequest.set(ctx, states);
  }
  const key = `${appId}\u0000${accountId ?? ''}`;
  let state = states.get(key);
  if (!state) {
    state = loadConsentState(db, appId, accountId);
    states.set(key, state);
  }
  return state;
}

/** Sets the grant's OpenID scopes to `openid` (when asked and OIDC is on) + the agreed items. */
export function applyLiveConsents(
  grant: Grant,
  input: { agreed: ReadonlySet<string>; requested: Iterable<string>; oidcEnabled: boolean },
): void {
  const requested = [...input.requested].filter(Boolean);
  const granted = scopesOfItems(input.agreed);
  if (input.oidcEnabled && requested.includes('openid')) granted.push('openid');
  grant.openid = undefined;
  grant.rejected = undefined;
  if (granted.length) grant.addOIDCScope(granted.join(' '));
  const rejected = requested.filter((s) => !granted.includes(s));
  if (rejected.length) grant.rejectOIDCScope(rejected.join(' '));
}

export function createLoadExistingGrant(db: Db): NonNullable<Configuration['loadExistingGrant']> {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const client = oidc.client!;
    const accountId = oidc.account!.accountId;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(client.clientId);
    let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
    const appId = appIdOfClient(client);
    // Clients that are not apps of the registry (none in production) keep oidc-provider's default.
    if (appId === undefined) return grant;
    const state = await consentStateFor(db, ctx, appId, accountId);
    if (!state.agreed) return undefined;
    grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
    applyLiveConsents(grant, {
      agreed: state.agreed,
      requested: oidc.requestParamScopes,
      oidcEnabled: oidcEnabledForClient(client),
    });
    // Claims named in a `claims` parameter are filtered by the live consents in findAccount.
    if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
    await grant.save();
    return grant;
  };
}
