/**
 * What oidc-provider's client carries of its app (clients.ts `yeon_*` metadata), read here and only
 * here by the engine: the app id, OpenID Connect on or off, strict OAuth. The person's consent
 * state itself is the connections domain's (src/modules/connections/consent-state.ts).
 */
import { sql } from 'kysely';
import type { Db } from '../db/create-db.ts';
import type { Executor } from '../modules/apps/apps.repo.ts';
import { listConsentItems } from '../modules/apps/apps.repo.ts';
import type { ConsentItem } from '../modules/apps/apps.types.ts';
import type { ConsentMode } from '../modules/connections/connections.ports.ts';
import { activeConsents, findLiveConnection } from '../modules/connections/connections.repo.ts';
import { precompiled } from './precompiled.ts';

export interface ConsentState {
  /** item → mode; items never configured are absent (= off) */
  modes: Record<string, ConsentMode>;
  /** the configured items with their purposes, for the consent page */
  items: ConsentItem[];
  /** live agreed items; undefined when not linked */
  agreed: Set<string> | undefined;
}

export async function loadConsentState(
  db: Executor,
  appId: number,
  accountId: string | undefined,
): Promise<ConsentState> {
  const items = await listConsentItems(db, appId);
  const modes: Record<string, ConsentMode> = {};
  for (const i of items) modes[i.item] = i.mode;
  const live = accountId ? await findLiveConnection(db, appId, accountId) : undefined;
  const agreed = live ? new Set((await activeConsents(db, live.id)).map((c) => c.item)) : undefined;
  return { modes, items, agreed };
}

/**
 * The items one account agreed to at one app, live, in one statement (the refresh and introspection
 * hot paths: no app or item rows needed); an empty set when not linked.
 */
const liveAgreed = precompiled(['appId', 'accountId'], (db, p) =>
  db
    .selectFrom('connections as c')
    .innerJoin('connection_consents as cc', 'cc.connection_id', 'c.id')
    .select('cc.item')
    .where('c.app_id', '=', p.appId)
    .where('c.account_id', '=', p.accountId)
    // a literal, so SQLite uses the partial unique index connections_one_live_link
    .where('c.status', '=', sql.lit('linked'))
    .where('cc.withdrawn_at', 'is', null),
);

export async function liveAgreedItems(db: Db, appId: number, accountId: string): Promise<Set<string>> {
  return new Set((await liveAgreed(db, { appId, accountId })).rows.map((r) => r.item));
}

/** The yeon app id oidc-provider's client carries (clients.ts `yeon_app_id`), or undefined. */
export function appIdOfClient(client: unknown): number | undefined {
  const id = (client as { yeon_app_id?: unknown } | undefined)?.yeon_app_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

/** Whether the app has OpenID Connect on (clients.ts `yeon_oidc_enabled`). */
export function oidcEnabledForClient(client: unknown): boolean {
  return (client as { yeon_oidc_enabled?: unknown } | undefined)?.yeon_oidc_enabled === true;
}

/** Whether the app opted in to strict OAuth (clients.ts `yeon_strict_oauth`; docs/decisions/0005). */
export function strictOauthFor(client: unknown): boolean {
  return (client as { yeon_strict_oauth?: unknown } | undefined)?.yeon_strict_oauth === true;
}
