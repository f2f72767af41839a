/**
 * "Download my history": everything the platform keeps about the person's connections, as JSON and
 * as CSV, so the person can read it and take it elsewhere (GDPR Art. 15 right of access, Art. 20
 * right to data portability: "structured, commonly used and machine-readable"). Built only from
 * `historyFactsOf`, which reads the signed-in person's own rows.
 *
 * "Last used" is not recorded by the platform (no per-link use time is kept), so a link carries the
 * time of its latest known activity instead, and says so in its name.
 */
import type { HistoryFacts } from './connection-history.ts';
import type { UnlinkedBy } from './connections.service.ts';

export type HistoryFormat = 'json' | 'csv';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The unlink kinds in words a reader of the file understands without our source code. */
const UNLINK_KIND: Record<UnlinkedBy, string> = {
  delete_all: 'delete_all_data',
  disconnect: 'disconnect',
  account_delete: 'account_deletion',
  app: 'unlinked_by_app',
  admin: 'unlinked_by_administrator',
};

export interface HistoryExport {
  format: 'yeon-history/1';
  generated_at: string;
  links: Array<{
    app_id: number;
    app: string;
    linked_at: string;
    first_linked_at: string;
    last_activity_at: string;
    unlinked_at: string | null;
  }>;
  consents: Array<{ app_id: number; app: string; item: string; action: 'given' | 'withdrawn'; at: string }>;
  unlinks: Array<{ app_id: number; app: string; kind: string; at: string }>;
  notifications: Array<{
    app_id: number;
    app: string;
    event: string;
    created_at: string;
    state: string;
    attempts: number;
    delivered_at: string | null;
    receipt_confirmed_at: string | null;
    receipt_code: string | null;
    receipt_status_url: string | null;
  }>;
}

export function historyExportOf(facts: HistoryFacts, now: number): HistoryExport {
  const appName = new Map(facts.links.map((l) => [l.appId, l.appName]));
  const appOfConnection = new Map(facts.links.map((l) => [l.connectionId, l.appId]));
  const firstLinked = new Map<number, number>();
  for (const l of facts.links) if (!firstLinked.has(l.appId)) firstLinked.set(l.appId, l.linkedAt);

  const consents: HistoryExport['consents'] = [];
  const seen = new Set<string>();
  const consent = (appId: number, item: string, action: 'given' | 'withdrawn', at: number) => {
    const key = `${appId} ${item} ${action} ${at}`;
    if (seen.has(key)) return;
    seen.add(key);
    consents.push({ app_id: appId, app: appName.get(appId) ?? '', item, action, at: iso(at)! });
  };
  const lastActivity = new Map<string, number>();
  for (const c of facts.consents) {
    const appId = appOfConnection.get(c.connectionId);
    if (appId === undefined) continue;
    consent(appId, c.item, 'given', c.agreedAt);
    if (c.withdrawnAt !== null) consent(appId, c.item, 'withdrawn', c.withdrawnAt);
    const latest = Math.max(c.agreedAt, c.withdrawnAt ?? 0, lastActivity.get(c.connectionId) ?? 0);
    lastActivity.set(c.connectionId, latest);
  }
  // A withdrawal the person later undid is kept by the consent events (and, for an app that asked
  // to hear of it, by the app's notification, written at the same moment).
  // They never move a link's last activity: its consent rows hold the latest of each item.
  for (const e of facts.consentEvents)
    if (appName.has(e.appId)) consent(e.appId, e.item, e.kind === 'agreed' ? 'given' : 'withdrawn', e.at);
  for (const n of facts.notifications)
    for (const item of n.items) consent(n.appId, item, 'withdrawn', n.createdAt);
  consents.sort((a, b) => a.at.localeCompare(b.at) || a.app_id - b.app_id || a.item.localeCompare(b.item));

  return {
    format: 'yeon-history/1',
    generated_at: iso(now)!,
    links: facts.links.map((l) => ({
      app_id: l.appId,
      app: l.appName,
      linked_at: iso(l.linkedAt)!,
      first_linked_at: iso(firstLinked.get(l.appId)!)!,
      last_activity_at: iso(Math.max(l.linkedAt, lastActivity.get(l.connectionId) ?? 0, l.unlinkedAt ?? 0))!,
      unlinked_at: iso(l.unlinkedAt),
    })),
    consents,
    unlinks: facts.links
      .filter((l) => l.unlinkedAt !== null && l.unlinkedBy !== null)
      .map((l) => ({
        app_id: l.appId,
        app: l.appName,
        kind: UNLINK_KIND[l.unlinkedBy!],
        at: iso(l.unlinkedAt)!,
      })),
    notifications: facts.notifications.map((n) => ({
      app_id: n.appId,
      app: appName.get(n.appId) ?? '',
      event: n.eventType,
      created_at: iso(n.createdAt)!,
      state: n.state,
      attempts: n.attempts,
      delivered_at: iso(n.deliveredAt),
      receipt_confirmed_at: iso(n.deletionConfirmedAt),
      receipt_code: n.deletionConfirmationCode,
      receipt_status_url: n.deletionStatusUrl,
    })),
  };
}

/** The CSV's columns: one table for the four kinds of record, named in the first column. */
export const CSV_COLUMNS = [
  'record',
  'app_id',
  'app',
  'what',
  'at',
  'first_linked_at',
  'last_activity_at',
  'unlinked_at',
  'state',
  'attempts',
  'delivered_at',
  'receipt_confirmed_at',
  'receipt_code',
  'receipt_status_url',
] as const;

type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>;

/** The export's records as CSV rows, in the order of the JSON. */
export function historyCsvRows(data: HistoryExport): CsvRow[] {
  return [
    ...data.links.map((l) => ({
      record: 'link',
      app_id: l.app_id,
      app: l.app,
      at: l.linked_at,
      first_linked_at: l.first_linked_at,
      last_activity_at: l.last_activity_at,
      unlinked_at: l.unlinked_at,
    })),
    ...data.consents.map((c) => ({
      record: `consent_${c.action}`,
      app_id: c.app_id,
      app: c.app,
      what: c.item,
      at: c.at,
    })),
    ...data.unlinks.map((u) => ({ record: 'unlink', app_id: u.app_id, app: u.app, what: u.kind, at: u.at })),
    ...data.notifications.map((n) => ({
      record: 'notification',
      app_id: n.app_id,
      app: n.app,
      what: n.event,
      at: n.created_at,
      state: n.state,
      attempts: n.attempts,
      delivered_at: n.delivered_at,
      receipt_confirmed_at: n.receipt_confirmed_at,
      receipt_code: n.receipt_code,
      receipt_status_url: n.receipt_status_url,
    })),
  ];
}

/**
 * A cell a spreadsheet would run as a formula starts with = + - @ (or a tab or carriage return);
 * it gets a leading apostrophe so it is shown as text (OWASP "CSV Injection"). App names and
 * receipt codes come from app developers, so they are not trusted.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 §2: a field with a comma, a double quote or a line break is quoted, quotes doubled. */
function csvField(value: string | number | null | undefined): string {
  const text = neutralizeFormula(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * UTF-8 with a byte order mark (Excel reads a BOM-less CSV in the system code page, which breaks
 * Hangul on Korean Windows), a header row, CRLF line ends (RFC 4180 §2).
 */
export function historyCsvOf(data: HistoryExport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of historyCsvRows(data)) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** yeon-history-YYYYMMDD.<ext>, dated in UTC like the times inside. */
export function historyFileName(now: number, format: HistoryFormat): string {
  return `yeon-history-${new Date(now).toISOString().slice(0, 10).replaceAll('-', '')}.${format}`;
}
