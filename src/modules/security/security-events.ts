/**
 * The account's security events, shown to the person on the Security page so they can spot what
 * they did not do (OWASP ASVS 4.0.3 V2.2.3 asks that people learn of changes to their
 * authentication details; a new browser signing in is listed for the same reason). An event is written in the transaction of the change it records,
 * so it exists if and only if the change committed. Events go with the account
 * (ON DELETE CASCADE).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import type { DeviceLabel } from './device-label.ts';

/** Add a kind here and its words in src/i18n/messages/security.ts (`security.event.<kind>`). */
export const SECURITY_EVENT_KINDS = [
  'password_changed',
  'email_changed',
  'new_device_signed_in',
  'app_unlinked',
  'account_deleted',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

export interface SecurityEventInput {
  accountId: string;
  kind: SecurityEventKind;
  /** epoch ms, from the caller's clock */
  at: number;
  ip?: string | null;
  device?: DeviceLabel | null;
  /** what it was about, in the person's terms (the app's name for app_unlinked) */
  detail?: string | null;
}

export interface SecurityEvent {
  id: string;
  kind: SecurityEventKind;
  occurredAt: number;
  ip: string | null;
  device: DeviceLabel | null;
  detail: string | null;
}

/** Writes one event in the caller's transaction (or on `db` when there is none to join). */
export async function recordSecurityEvent(
  trx: Transaction<Database> | Kysely<Database>,
  input: SecurityEventInput,
): Promise<void> {
  await trx
    .insertInto('security_events')
    .values({
      id: newId('sev_'),
      account_id: input.accountId,
      kind: input.kind,
      occurred_at: input.at,
      ip: input.ip ?? null,
      browser: input.device?.browser ?? null,
      os: input.device?.os ?? null,
      detail: input.detail?.slice(0, 200) ?? null,
    })
    .execute();
}

function isKind(kind: string): kind is SecurityEventKind {
  return (SECURITY_EVENT_KINDS as readonly string[]).includes(kind);
}

/** The account's latest events, newest first. */
export async function listSecurityEvents(
  db: Kysely<Database>,
  accountId: string,
  limit = 50,
): Promise<SecurityEvent[]> {
  const rows = await db
    .selectFrom('security_events')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows
    .filter((r) => isKind(r.kind))
    .map((r) => ({
      id: r.id,
      kind: r.kind as SecurityEventKind,
      occurredAt: r.occurred_at,
      ip: r.ip,
      device: r.browser === null && r.os === null ? null : { browser: r.browser ?? '', os: r.os ?? '' },
      detail: r.detail,
    }));
}
