/** Tables of the accounts and sessions domains. */
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
  /** epoch ms at which the person opened a link sent to `email`; null: not confirmed (migration account_recovery) */
  email_verified_at: number | null;
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
  /** the trusted device this session signed in from (devices.ts); null for older sessions */
  device_id: string | null;
}

export interface LoginThrottleTable {
  /** 'ip:<addr>' | 'acct:<email>' | 'pair:<email>|<addr>' */
  key: string;
  failures: number;
  window_started_at: number;
  blocked_until: number;
}

export interface AccountsTables {
  accounts: AccountsTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
}
