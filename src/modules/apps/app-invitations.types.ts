/** The shapes the invitations service takes and answers (app-invitations.ts). */
import type { AppRole } from './apps.types.ts';

export interface InviteInput {
  email: string;
  role: string;
}

export interface InviteOptions {
  /** the language of the mail (the inviter's) */
  locale: 'ko' | 'en';
  /** this site's public origin (the issuer), which the link starts with */
  siteUrl: string;
  /** wakes the mail sender after the COMMIT (services.mailSignal.committed); latency only */
  mailCommitted?: () => void;
}

/** What the inviter sees once: the link is not stored anywhere and cannot be shown again. */
export interface CreatedInvitation {
  id: string;
  role: AppRole;
  expires_at: number;
  url: string;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: AppRole;
  invited_by_nickname: string;
  created_at: number;
  expires_at: number;
}

/** Why a link does not (or no longer) make the signed-in person a member. */
export type InvitationRefusal =
  | 'unknown'
  | 'expired'
  | 'used'
  | 'revoked'
  | 'wrong_account'
  | 'unverified_email';

export interface InvitationSummary {
  app_id: number;
  app_name: string;
  role: AppRole;
  inviter_nickname: string;
  expires_at: number;
}

export type InvitationLookup =
  | { ok: true; invitation: InvitationSummary }
  | { ok: false; reason: InvitationRefusal };

export type InvitationAnswer = { ok: true; app_id: number } | { ok: false; reason: InvitationRefusal };
