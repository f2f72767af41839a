/**
 * oidc-provider's `findAccount` (Kakao "OpenID Connect"; OpenID Connect Core §5.3): the claims of the ID
 * token and of `/v1/oidc/userinfo`, computed at every call from the account AND the live consents
 * of this app. A withdrawn, never-agreed or switched-off item is never released, whatever scope
 * the token carries (computed from the LIVE consents, never from the token's scopes alone).
 *
 * `sub` is the account id here: oidc-provider turns it into the app user id through the pairwise
 * hook (`subjectFor` in engine.ts; oidc-provider lib/helpers/claims.js), so Kakao's `sub` is the
 * per-app number (§3.3).
 */
import type { FindAccount } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import type { Account } from '../db/database.ts';
import { loadConsentState, type ProfileFields } from '../modules/connections/consent-reads.ts';
import { type ConsentState, isReleased } from '../modules/connections/consent-state.ts';
import { appIdOfClient } from './consent-state.ts';
import { precompiled } from './precompiled.ts';

type Claims = { sub: string } & Record<string, unknown>;

/** Kakao's userinfo `birthdate`: `0000-MM-DD`, `YYYY` or `YYYY-MM-DD` depending on consents (§5.4). */
function birthdate(year: string | null | undefined, mmdd: string | null | undefined): string | undefined {
  const md = mmdd && /^\d{4}$/.test(mmdd) ? `${mmdd.slice(0, 2)}-${mmdd.slice(2)}` : undefined;
  if (year && md) return `${year}-${md}`;
  if (year) return year;
  return md ? `0000-${md}` : undefined;
}

/** Pure: the claims one account releases to one app, given the live consents and the app's modes. */
export function claimsFor(
  account: Pick<Account, 'id' | ProfileFields>,
  consent: Pick<ConsentState, 'modes' | 'agreed'>,
): Claims {
  const ok = (item: string) => isReleased(consent, item);
  const claims: Claims = { sub: account.id };
  if (ok('profile_nickname')) claims.nickname = account.nickname;
  if (ok('profile_image') && account.profile_image_url) claims.picture = account.profile_image_url;
  if (ok('account_email')) {
    claims.email = account.email;
    // True once the person opened the confirmation link mailed to this address (as user-me.ts).
    claims.email_verified = account.email_verified_at != null;
  }
  if (ok('name') && account.name) claims.name = account.name;
  if (ok('gender') && account.gender) claims.gender = account.gender;
  const date = birthdate(
    ok('birthyear') ? account.birthyear : undefined,
    ok('birthday') ? account.birthday : undefined,
  );
  if (date) claims.birthdate = date;
  if (ok('phone_number') && account.phone_number) {
    claims.phone_number = account.phone_number;
    claims.phone_number_verified = false;
  }
  return claims;
}

/** Twice per login (resume, code exchange) and on every refresh: compiled once. */
const accountById = precompiled(['id'], (db, p) =>
  db.selectFrom('accounts').selectAll().where('id', '=', p.id),
);

/**
 * The profile claims Kakao's ID token carries (Kakao REST API "ID token payload"): `nickname`,
 * `picture` and `email`, the last only when the address is verified. The registered claims (`iss`,
 * `aud`, `sub`, `iat`, `exp`, `auth_time`, `nonce`) are oidc-provider's own. Userinfo releases the
 * rest (`name`, `gender`, `birthdate`, `phone_number`…).
 */
export function idTokenClaims(claims: Claims): Claims {
  const out: Claims = { sub: claims.sub };
  if (claims.nickname !== undefined) out.nickname = claims.nickname;
  if (claims.picture !== undefined) out.picture = claims.picture;
  if (claims.email !== undefined && claims.email_verified === true) out.email = claims.email;
  return out;
}

export function createFindAccount(db: Db): FindAccount {
  return async (ctx, accountId) => {
    const [account] = (await accountById(db, { id: accountId })).rows;
    if (!account) return undefined;
    return {
      accountId,
      async claims(use) {
        const appId = appIdOfClient(ctx.oidc?.client);
        if (appId === undefined) return { sub: accountId };
        const state = await loadConsentState(db, appId, accountId);
        const claims = claimsFor(account, state);
        return use === 'id_token' ? idTokenClaims(claims) : claims;
      },
    };
  };
}
