/**
 * The Kysely `Database` interface: one interface per table. Timestamps are epoch milliseconds
 * (bigint on PostgreSQL, parsed back to number by create-db.ts) so that every comparison is the same
 * on SQLite and PostgreSQL. Booleans are 0/1 integers for the same reason.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface AccountsTable {
  id: string;
  email: string;
  /** lower-cased, trimmed email; unique: emails are unique case-insensitively. */
  email_normalized: string;
  password_hash: string;
  nickname: string;
  profile_image_url: string | null;
  name: string | null;
  /** 'female' | 'male' */
  gender: string | null;
  /** MMDD */
  birthday: string | null;
  /** YYYY */
  birthyear: string | null;
  /** Kakao's buckets: '1~9', '10~14', …, '90~' */
  age_range: string | null;
  /** E.164-ish display form, e.g. '+82 10-1234-5678' */
  phone_number: string | null;
  locale: string | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a copy of the table does not hand out live sessions. */
  id_hash: string;
  account_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  remember: number;
  user_agent: string | null;
  ip: string | null;
}

export interface LoginThrottleTable {
  /** 'ip:<addr>' | 'acct:<email>' | 'pair:<email>|<addr>' */
  key: string;
  failures: number;
  window_started_at: number;
  blocked_until: number;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type Session = Selectable<SessionsTable>;
// Re-exported so migrations and repos share one import site for Kysely's helper types.
export type { Generated };
