/**
 * The consent events of migration 2026-12-06T1000: one row per agreement to or withdrawal of an
 * optional item, written by the connections service in the transaction that changes the grant, so
 * the history keeps a withdrawal after the person agrees again (GDPR Art. 7(3): withdrawing is as
 * much a part of the record as giving).
 */
import { newId } from '../../lib/ids.ts';
import type { Executor } from './connections.repo.ts';

export type ConsentEventKind = 'agreed' | 'withdrawn';

export async function recordConsentEvents(
  db: Executor,
  input: { accountId: string; appId: number; items: readonly string[]; kind: ConsentEventKind; at: number },
): Promise<void> {
  if (input.items.length === 0) return;
  await db
    .insertInto('consent_events')
    .values(
      input.items.map((item) => ({
        id: newId('cev_'),
        account_id: input.accountId,
        app_id: input.appId,
        item,
        kind: input.kind,
        at: input.at,
      })),
    )
    .execute();
}

/** The account's events (of `appIds` only, when given), oldest first. */
export async function consentEventsOf(db: Executor, accountId: string, appIds?: readonly number[]) {
  const rows = await db
    .selectFrom('consent_events')
    .select(['app_id', 'item', 'kind', 'at'])
    .where('account_id', '=', accountId)
    .$if(appIds !== undefined, (q) => q.where('app_id', 'in', appIds!))
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    appId: Number(r.app_id),
    item: r.item,
    kind: r.kind as ConsentEventKind,
    at: Number(r.at),
  }));
}
