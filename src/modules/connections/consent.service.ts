/**
 * The consent step of a login (OpenID Connect Core §3.1.2.4; Kakao REST API "Request authorization
 * code": the consent screen): what to ask, from the live consent state (consent-state.ts) and the
 * plan of consent-plan.ts, and the answer, which links at the first consent through the
 * connections service. The form is not trusted: required items must be in it, and only items on
 * the screen count.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { CONSENT_ITEMS, itemsOfScope, planConsent } from '../../oidc/consent-plan.ts';
import type { ConnectionsService } from './connections.service.ts';
import { loadConsentState } from './consent-reads.ts';

export interface ConsentRequest {
  accountId: string;
  appId: number;
  /** the authorization request's `scope` */
  scope: string | undefined;
  /** the RP named no items and yeon filled in the app's default screen */
  implicit: boolean;
}

export function createConsentService({
  db,
  connections,
}: {
  db: Kysely<Database>;
  connections: ConnectionsService;
}) {
  /** What the consent screen shows, and how the last link ended when there is none now. */
  async function screen(input: ConsentRequest) {
    const state = await loadConsentState(db, input.appId, input.accountId);
    const plan = planConsent({
      modes: state.modes,
      agreed: state.agreed,
      requested: itemsOfScope(input.scope),
      implicit: input.implicit,
    });
    const lastUnlink = state.agreed ? undefined : await connections.lastUnlink(input.accountId, input.appId);
    return { state, plan, lastUnlink };
  }

  /**
   * The person's answer: every item on the screen (`all`) or the posted ones. Refused, with the
   * screen to show again, when a required item is missing; else agreed, with the live items after.
   */
  async function give(input: ConsentRequest & { all: boolean; posted: readonly string[] }) {
    const shown = await screen(input);
    const { plan } = shown;
    const chosen = new Set(input.all ? [...plan.required, ...plan.optional] : input.posted);
    if (plan.required.some((i) => !chosen.has(i))) return { given: false as const, screen: shown };
    const items = CONSENT_ITEMS.filter(
      (i) => chosen.has(i) && (plan.required.includes(i) || plan.optional.includes(i)),
    );
    await connections.agree({ accountId: input.accountId, appId: input.appId, items });
    const after = await loadConsentState(db, input.appId, input.accountId);
    return { given: true as const, agreed: after.agreed ?? new Set<string>() };
  }

  return { screen, give };
}

export type ConsentService = ReturnType<typeof createConsentService>;
export type ConsentScreen = Awaited<ReturnType<ConsentService['screen']>>;
