/**
 * Manage Connected Services (Kakao Account "연결된 서비스 관리") for the signed-in person: what each
 * page shows and the rules of each change. The read model is connected-services.ts, the consent
 * state consent-state.ts, and every change is one call to the connections service, which enforces
 * the unlink cases and writes the notification in the unlink's own transaction. Only the person's
 * own links are ever found: an app id of someone else's link is "not found".
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';
import { listConsentItems, listPlatforms } from '../apps/apps.repo.ts';
import { CONSENT_ITEMS } from '../apps/apps.types.ts';
import { type ConnectedApp, connectedServicesOf, liveConnectionOf } from './connected-services.ts';
import { appHistoriesOf, historyFactsOf } from './connection-history.ts';
import { countLiveConnections } from './connections.repo.ts';
import type { ConnectionsService, UnlinkedBy } from './connections.service.ts';
import { consentStateOf } from './consent-state.ts';
import { type HistoryFormat, historyCsvOf, historyExportOf, historyFileName } from './history-export.ts';

export interface ConnectedServicesDeps {
  db: Kysely<Database>;
  clock: Clock;
  connections: ConnectionsService;
}

export function isConsentItem(value: string | undefined): value is string {
  return !!value && (CONSENT_ITEMS as readonly string[]).includes(value);
}

export function createConnectedServicesService({ db, clock, connections }: ConnectedServicesDeps) {
  /** The live links, and the history of each app whose link has ended (connected-services.ts). */
  async function list(accountId: string) {
    return connectedServicesOf(db, accountId);
  }

  /** The person's live link to `appId`. @throws AppError('not_found') */
  async function liveApp(accountId: string, appId: number): Promise<ConnectedApp> {
    const found = await liveConnectionOf(db, accountId, appId);
    if (!found) throw new AppError('not_found');
    return found;
  }

  /** One live link with its items (withdrawn ones too), in console order, required ones marked. */
  async function detail(accountId: string, appId: number) {
    const connected = await liveApp(accountId, appId);
    const state = consentStateOf({
      items: await listConsentItems(db, appId),
      consents: connected.items.map((i) => ({ item: i.item, withdrawn_at: i.withdrawnAt })),
    });
    const order = (item: string) => (CONSENT_ITEMS as readonly string[]).indexOf(item);
    const items = connected.items
      .map((i) => ({ ...i, required: state.modes[i.item] === 'required' }))
      .sort((a, b) => order(a.item) - order(b.item));
    return { connected, items };
  }

  /**
   * An item the person may withdraw here: agreed, not withdrawn, and not required (a required item
   * is stopped by unlinking). @throws AppError('not_found' | 'consent_item_required')
   */
  async function withdrawable(accountId: string, appId: number, item: string | undefined) {
    const connected = await liveApp(accountId, appId);
    const row = connected.items.find((i) => i.item === item && i.withdrawnAt === null);
    if (!isConsentItem(item) || !row) throw new AppError('not_found');
    const { modes } = consentStateOf({ items: await listConsentItems(db, appId), consents: undefined });
    if (modes[item] === 'required') throw new AppError('consent_item_required');
    return { connected, item };
  }

  /** Withdraws one item after the checks of `withdrawable`. */
  async function withdraw(accountId: string, appId: number, item: string | undefined) {
    const found = await withdrawable(accountId, appId, item);
    await connections.withdraw({ accountId, appId: found.connected.appId, item: found.item });
    return found;
  }

  /**
   * What "Delete All Data" offers: with an unlink callback, the unlink that notifies the app; without
   * one nothing can reach the app's data, so its platforms, to send the person to the app itself.
   */
  async function deleteAllChoice(accountId: string, appId: number) {
    const connected = await liveApp(accountId, appId);
    if (connected.hasUnlinkCallback) return { connected, platforms: undefined };
    return { connected, platforms: await listPlatforms(db, connected.appId) };
  }

  /** "Disconnect" is offered only without an unlink callback: it would skip the app's notice. */
  async function disconnectable(accountId: string, appId: number) {
    const connected = await liveApp(accountId, appId);
    if (connected.hasUnlinkCallback) throw new AppError('unlink_option_unavailable');
    return connected;
  }

  async function unlink(
    accountId: string,
    appId: number,
    by: Extract<UnlinkedBy, 'delete_all' | 'disconnect'>,
  ) {
    const connected = await liveApp(accountId, appId);
    await connections.unlink({ accountId, appId: connected.appId, by });
    return connected;
  }

  /** How many apps the person is linked to now (the account deletion page says it). */
  async function liveCount(accountId: string): Promise<number> {
    return countLiveConnections(db, accountId);
  }

  /** The person's history told as one group per app, newest activity first. */
  async function historyOf(accountId: string) {
    return appHistoriesOf(await historyFactsOf(db, accountId));
  }

  /** The person's own history as a file to download (JSON or CSV). */
  async function historyDownload(accountId: string, format: HistoryFormat) {
    const now = clock.now();
    const data = historyExportOf(await historyFactsOf(db, accountId), now);
    const fileName = historyFileName(now, format);
    if (format === 'csv')
      return { fileName, contentType: 'text/csv; charset=utf-8', body: historyCsvOf(data) };
    return {
      fileName,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(data, null, 2)}\n`,
    };
  }

  return {
    list,
    historyOf,
    historyDownload,
    liveApp,
    detail,
    withdrawable,
    withdraw,
    deleteAllChoice,
    disconnectable,
    unlink,
    liveCount,
  };
}

export type ConnectedServicesService = ReturnType<typeof createConnectedServicesService>;
