/**
 * Tables of migration 2026-12-06T0600_app_invitations: invitations to join an app's team.
 * Timestamps are epoch ms; an invitation is pending while it is not accepted, declined or revoked
 * and `expires_at` is still ahead.
 */
export interface AppInvitationsTable {
  /** `inv_…`, the id the console's Revoke button names (never the token) */
  id: string;
  app_id: number;
  /** as typed by the inviter (NFKC), shown in the console and used as the mail's recipient */
  email: string;
  /** normalizeEmail(email): the key the accepting account's email must match */
  email_normalized: string;
  /** 'owner' | 'admin' | 'member' */
  role: string;
  /** SHA-256 (base64url) of the link's token; the token itself is shown once and mailed */
  token_hash: string;
  /** the account that sent it */
  invited_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by: string | null;
  declined_at: number | null;
  revoked_at: number | null;
}

export interface InvitationsTables {
  app_invitations: AppInvitationsTable;
}
