/**
 * The Kysely `Database` interface: one interface per table. Timestamps are epoch milliseconds
 * (bigint on PostgreSQL, parsed back to number by create-db.ts) so that every comparison is the same
 * on SQLite and PostgreSQL. Booleans are 0/1 integers for the same reason.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AbuseTables } from './tables/abuse.ts';
import type { AccountsTable, AccountsTables, SessionsTable } from './tables/accounts.ts';
import type { ApiQuotaTables } from './tables/api-quota.ts';
import type { AppsTables } from './tables/apps.ts';
import type { ConnectionsTables } from './tables/connections.ts';
import type { ConsentEventsTables } from './tables/consent-events.ts';
import type { DevicesTables } from './tables/devices.ts';
import type { EpochsTables } from './tables/epochs.ts';
import type { InvitationsTables } from './tables/invitations.ts';
import type { KakaoTables } from './tables/kakao.ts';
import type { MailTables } from './tables/mail.ts';
import type { NotificationsTables } from './tables/notifications.ts';
import type { OidcTables } from './tables/oidc.ts';
import type { ProfileImagesTables } from './tables/profile-images.ts';
import type { ReceiptsTables } from './tables/receipts.ts';
import type { RecoveryTables } from './tables/recovery.ts';

/**
 * Each domain declares its tables in `tables/<domain>.ts`; the database is their union.
 * Add a domain here with one `extends` entry.
 */
export interface Database
  extends AccountsTables,
    AbuseTables,
    ApiQuotaTables,
    DevicesTables,
    EpochsTables,
    InvitationsTables,
    MailTables,
    RecoveryTables,
    ReceiptsTables,
    AppsTables,
    ConnectionsTables,
    ConsentEventsTables,
    KakaoTables,
    NotificationsTables,
    OidcTables,
    ProfileImagesTables {}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type Session = Selectable<SessionsTable>;
// Re-exported so migrations and repos share one import site for Kysely's helper types.
export type { Generated };
