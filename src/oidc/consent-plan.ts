/**
 * What a login to an app has to ask the person (Kakao "Consent items", REST API "Get authorization code").
 * Pure: the interaction policy, the consent page and `loadExistingGrant` all decide from here, so
 * "is consent needed?" has one answer everywhere.
 *
 * Kakao's rules, as yeon applies them:
 * - An authorize request without consent items in `scope` asks for the app's default screen: its
 *   required and optional items (`implicit`). Naming items in `scope` is "additional consent".
 * - Not linked yet: the consent page shows every required item, every optional item and the
 *   during-use items the request names (during-use items appear only when requested).
 * - Linked: ask again only for required items not agreed (the app added one) and for items the
 *   request names explicitly that are not agreed. An optional item declined at the first link is
 *   not asked again on a plain login.
 * - An item the app switched off is never asked for nor released.
 */
import { CONSENT_ITEMS } from '../modules/apps/apps.types.ts';
import { type ConsentMode, isOffered } from '../modules/connections/consent-state.ts';

// The one list of consent items lives with the app registry.
export { CONSENT_ITEMS };

/** Standard OIDC scopes that stand for Kakao items, for clients that are not Kakao clients. */
const SCOPE_ALIASES: Record<string, readonly string[]> = {
  profile: ['profile_nickname', 'profile_image'],
  email: ['account_email'],
};

const ITEM_SET = new Set<string>(CONSENT_ITEMS);

/** The consent items a space-separated `scope` names (aliases expanded), in console order. */
export function itemsOfScope(scope: string | undefined): string[] {
  const named = new Set<string>();
  for (const s of (scope ?? '').split(' ')) {
    if (ITEM_SET.has(s)) named.add(s);
    for (const i of SCOPE_ALIASES[s] ?? []) named.add(i);
  }
  return CONSENT_ITEMS.filter((i) => named.has(i));
}

/** The scopes a set of agreed items grants: the items themselves and the aliases they cover. */
export function scopesOfItems(agreed: ReadonlySet<string>): string[] {
  const scopes = CONSENT_ITEMS.filter((i) => agreed.has(i)) as string[];
  for (const [alias, items] of Object.entries(SCOPE_ALIASES)) {
    if (items.some((i) => agreed.has(i))) scopes.push(alias);
  }
  return scopes;
}

/**
 * `scope` as it stands now: the item scopes (and their aliases) still agreed, and every scope that
 * is not an item (`openid`). A withdrawn item leaves the scope of every token at once, as it leaves
 * every answer (RFC 7662 §2.2 `scope`; Kakao REST API "Revoke consent").
 */
export function liveScope(scope: string, agreed: ReadonlySet<string>): string {
  const granted = new Set(scopesOfItems(agreed));
  return scope
    .split(' ')
    .filter((s) => s && ((!ITEM_SET.has(s) && !(s in SCOPE_ALIASES)) || granted.has(s)))
    .join(' ');
}

/** The app's default consent screen: required and optional items (what an item-less `scope` means). */
export function defaultItems(modes: Record<string, ConsentMode>): string[] {
  return CONSENT_ITEMS.filter((i) => modes[i] === 'required' || modes[i] === 'optional');
}

export interface ConsentPlanInput {
  modes: Record<string, ConsentMode>;
  /** live agreed items; undefined when the account is not linked to the app */
  agreed: ReadonlySet<string> | undefined;
  /** the consent items the request names (itemsOfScope of the RP's scope) */
  requested: string[];
  /** true when the RP named no items and yeon filled in the default screen */
  implicit: boolean;
}

export interface ConsentPlan {
  linked: boolean;
  /** items shown as fixed and checked: required ones not agreed yet */
  required: string[];
  /** items shown with a checkbox: optional or during-use ones not agreed yet */
  optional: string[];
  /** true when the page must be shown */
  needed: boolean;
}

export function planConsent(input: ConsentPlanInput): ConsentPlan {
  const { modes, agreed, requested, implicit } = input;
  const notAgreed = (i: string) => !agreed?.has(i);
  const required = CONSENT_ITEMS.filter((i) => modes[i] === 'required' && notAgreed(i));
  let optional: string[];
  if (!agreed) {
    optional = CONSENT_ITEMS.filter(
      (i) => modes[i] === 'optional' || (modes[i] === 'during_use' && requested.includes(i)),
    );
  } else {
    optional = implicit
      ? []
      : requested.filter((i) => isOffered(modes[i]) && modes[i] !== 'required' && notAgreed(i));
  }
  return {
    linked: agreed !== undefined,
    required,
    optional,
    needed: agreed === undefined || required.length > 0 || optional.length > 0,
  };
}
