/**
 * Tables of migration 2026-12-06T0500_account_recovery: the one-time links mailed to a person
 * (confirm an email address, change it, reset a password) and the counters that limit how often
 * they can be asked for. `accounts.email_verified_at` is added by the same migration.
 */

/** 'verify_email': confirm the account's own address; 'change_email': confirm a new one; 'reset_password'. */
export type AccountTokenPurpose = 'verify_email' | 'change_email' | 'reset_password';

export interface AccountTokensTable {
  /** SHA-256 of the link's secret: a copy of the table does not hand out working links. */
  token_hash: string;
  account_id: string;
  purpose: AccountTokenPurpose;
  /** the address the link was sent to, as shown (NFKC) */
  email: string;
  /** its comparison key (profile.ts normalizeEmail) */
  email_normalized: string;
  created_at: number;
  expires_at: number;
  /** set when the link is used or replaced; a link works once */
  used_at: number | null;
}

export interface RecoveryLimitsTable {
  /** e.g. 'resend:<account id>', 'forgot_ip:<addr>', 'forgot_email:<email key>' */
  key: string;
  hits: number;
  window_started_at: number;
}

export interface RecoveryTables {
  account_tokens: AccountTokensTable;
  recovery_limits: RecoveryLimitsTable;
}
