/**
 * Tables of migration 2026-12-06T0300_devices_security_events: trusted devices (one random token
 * per browser, stored as its SHA-256) and the account's security events.
 */

export interface TrustedDevicesTable {
  /** public id used by the Security page's forms: 'dev_…' */
  id: string;
  /** SHA-256 of the cookie value: a copy of the table does not hand out trusted browsers. */
  token_hash: string;
  account_id: string;
  /** read from the User-Agent at sign-in ('Chrome', 'Safari', …); '' when unknown */
  browser: string;
  /** 'Android', 'iPhone', 'Windows', …; '' when unknown */
  os: string;
  created_at: number;
  last_used_at: number;
}

export interface SecurityEventsTable {
  id: string;
  account_id: string;
  /** a `SecurityEventKind` (src/modules/security/security-events.ts); text so the list can grow */
  kind: string;
  occurred_at: number;
  ip: string | null;
  browser: string | null;
  os: string | null;
  /** what the event was about, in the person's own terms (an app's name for app_unlinked) */
  detail: string | null;
}

export interface DevicesTables {
  trusted_devices: TrustedDevicesTable;
  security_events: SecurityEventsTable;
}
