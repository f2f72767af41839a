/**
 * Team invitations: how someone joins an app. An owner or admin invites an email with a role; the
 * person opens the link, signs in, and accepts or declines. Nobody becomes a member, let alone an
 * owner, without accepting.
 *
 * - The answer to "invite" is the same whether or not the email has an account, so the form
 *   cannot be used to find out who has one (OWASP ASVS V2.2.1 / WSTG-IDNT-04, account enumeration).
 *   Only an email that is already a member is refused: the members list shows those anyway.
 * - The link carries a 256-bit random token; only its SHA-256 is stored (OWASP ASVS V3.5.2). It is
 *   shown once to the inviter and mailed through the mail outbox, in the invitation's transaction.
 * - The invitation is bound to the invited email: only an account whose normalized email is that
 *   email, and confirmed, may accept or decline it, as GitHub and Google Workspace do. A forwarded
 *   or leaked link is not a membership for whoever holds it.
 * - It is used once and lasts 7 days; a new invitation to the same email replaces the pending one.
 * - The inviter's authority is checked again at acceptance with the same rule as at invitation
 *   (apps.policy.ts `authorizeMemberChange`): an admin who has been removed, or an admin's
 *   invitation to ownership, no longer makes anyone a member.
 */
import { AppError, validationError } from '../../errors/catalogue.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { findAccountByEmail, findAccountById } from '../accounts/accounts.repo.ts';
import { displayEmail, emailIssues, normalizeEmail } from '../accounts/profile.ts';
import { enqueueMail } from '../mail/mail-outbox.ts';
import type { InvitationRow } from './app-invitations.repo.ts';
import * as invitations from './app-invitations.repo.ts';
import type {
  CreatedInvitation,
  InvitationAnswer,
  InvitationLookup,
  InvitationRefusal,
  InviteInput,
  InviteOptions,
  PendingInvitation,
} from './app-invitations.types.ts';
import type { AppsContext } from './apps.context.ts';
import { authorizeMemberChange, can } from './apps.policy.ts';
import type { Executor } from './apps.repo.ts';
import * as repo from './apps.repo.ts';
import type { Actor, AppRole } from './apps.types.ts';
import { parseRole } from './apps.validation.ts';

export const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000;

/**
 * Each invitation sends a mail to an address the inviter typed, so an app may have only so many
 * waiting at once (OWASP ASVS V11.1.4: limits on business functions that could be abused): the
 * mail outbox cannot be turned into a bulk mailer by one app's admins.
 */
export const MAX_PENDING_INVITATIONS = 50;

/** The token is 32 random bytes in base64url: 43 characters. Anything else is not a link we made. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export type * from './app-invitations.types.ts';

export function invitationUrl(siteUrl: string, token: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/invitations/${token}`;
}

export function createInvitationsService(ctx: AppsContext) {
  const { db, clock } = ctx;

  /**
   * Invites an email to the app with a role. Answers the same for an email with or without an
   * account.
   * @throws AppError('validation_failed' | 'not_found' | 'forbidden')
   */
  async function inviteMember(
    actor: Actor,
    appId: number,
    input: InviteInput,
    options: InviteOptions,
  ): Promise<CreatedInvitation> {
    const actorRole = await ctx.access(actor, appId, 'manage_members');
    const parsedRole = parseRole('role', input.role);
    const issues = [...emailIssues(input.email ?? ''), ...parsedRole.issues];
    if (issues.length) throw validationError(issues);
    const role = parsedRole.value as AppRole;
    authorizeMemberChange(actorRole, undefined, role);
    const email = displayEmail(input.email);
    const emailNormalized = normalizeEmail(email);

    const token = randomToken(32);
    const now = clock.now();
    const created: CreatedInvitation = {
      id: newId('inv_'),
      role,
      expires_at: now + INVITATION_LIFETIME_MS,
      url: invitationUrl(options.siteUrl, token),
    };
    await db.transaction().execute(async (trx) => {
      const existing = await findAccountByEmail(trx, emailNormalized);
      if (existing && (await repo.memberRole(trx, appId, existing.id)))
        throw validationError([
          { field: 'email', message: 'apps.validation.already_member', params: { value: email } },
        ]);
      await invitations.revokePendingFor(trx, appId, emailNormalized, now);
      if ((await invitations.countPendingInvitations(trx, appId, now)) >= MAX_PENDING_INVITATIONS)
        throw validationError([
          {
            field: 'email',
            message: 'invitations.validation.too_many_pending',
            params: { max: MAX_PENDING_INVITATIONS },
          },
        ]);
      await invitations.insertInvitation(trx, {
        id: created.id,
        app_id: appId,
        email,
        email_normalized: emailNormalized,
        role,
        token_hash: sha256(token),
        invited_by: actor.accountId,
        created_at: now,
        expires_at: created.expires_at,
      });
      // One after the other: a transaction is one connection, which runs one query at a time.
      const app = await repo.findAppRow(trx, appId);
      const inviter = await findAccountById(trx, actor.accountId);
      await enqueueMail(
        trx,
        {
          to: email,
          locale: options.locale,
          kind: 'app_invitation',
          params: {
            url: created.url,
            app_name: app?.name ?? '',
            inviter: inviter?.nickname ?? '',
            role,
            expires_at: String(created.expires_at),
          },
        },
        now,
      );
    });
    options.mailCommitted?.();
    return created;
  }

  /** Pending invitations, for those who may manage members (others see none). */
  async function listInvitations(actor: Actor, appId: number): Promise<PendingInvitation[]> {
    const role = await ctx.access(actor, appId, 'read');
    if (!can(role, 'manage_members')) return [];
    const rows = await invitations.listPendingInvitations(db, appId, clock.now());
    return rows.map((r) => ({ ...r, role: r.role as AppRole }));
  }

  /**
   * Revokes a pending invitation; the same rule as inviting (only owners touch owner invitations).
   * @throws AppError('not_found' | 'forbidden')
   */
  async function revokeInvitation(actor: Actor, appId: number, invitationId: string): Promise<void> {
    const actorRole = await ctx.access(actor, appId, 'manage_members');
    await db.transaction().execute(async (trx) => {
      const row = await invitations.findInvitationOfApp(trx, appId, invitationId);
      if (!row || stateOf(row, clock.now()) !== 'pending') throw new AppError('not_found');
      authorizeMemberChange(actorRole, undefined, row.role as AppRole);
      await invitations.closeInvitation(trx, row.id, { revoked_at: clock.now() });
    });
  }

  /** What the link's page shows the signed-in person, or why it is refused. */
  async function openInvitation(actor: Actor, token: string): Promise<InvitationLookup> {
    const checked = await check(db, actor, token);
    if (!checked.ok) return checked;
    const { row } = checked;
    const [app, inviter] = await Promise.all([
      repo.findAppRow(db, row.app_id),
      findAccountById(db, row.invited_by),
    ]);
    if (!app || !inviter) return { ok: false, reason: 'revoked' };
    return {
      ok: true,
      invitation: {
        app_id: app.id,
        app_name: app.name,
        role: row.role as AppRole,
        inviter_nickname: inviter.nickname,
        expires_at: row.expires_at,
      },
    };
  }

  /** Makes the signed-in person a member with the invitation's role, once. */
  async function acceptInvitation(actor: Actor, token: string): Promise<InvitationAnswer> {
    return db.transaction().execute(async (trx): Promise<InvitationAnswer> => {
      const checked = await check(trx, actor, token);
      if (!checked.ok) return checked;
      const { row } = checked;
      const now = clock.now();
      const closed = await invitations.closeInvitation(trx, row.id, {
        accepted_at: now,
        accepted_by: actor.accountId,
      });
      if (!closed) return { ok: false, reason: 'used' };
      // Someone who is already on the team keeps their role: an invitation never demotes (and so
      // can never take the last owner away), and promoting is the role form's job.
      if (!(await repo.memberRole(trx, row.app_id, actor.accountId)))
        await repo.insertMember(trx, {
          app_id: row.app_id,
          account_id: actor.accountId,
          role: row.role as AppRole,
          created_at: now,
        });
      return { ok: true, app_id: row.app_id };
    });
  }

  /** Turns the invitation down; only the invited person may, and it cannot be used afterwards. */
  async function declineInvitation(actor: Actor, token: string): Promise<InvitationAnswer> {
    return db.transaction().execute(async (trx): Promise<InvitationAnswer> => {
      const checked = await check(trx, actor, token);
      if (!checked.ok) return checked;
      const closed = await invitations.closeInvitation(trx, checked.row.id, { declined_at: clock.now() });
      return closed ? { ok: true, app_id: checked.row.app_id } : { ok: false, reason: 'used' };
    });
  }

  /** The one check behind opening, accepting and declining a link. */
  async function check(
    exec: Executor,
    actor: Actor,
    token: string,
  ): Promise<{ ok: true; row: InvitationRow } | { ok: false; reason: InvitationRefusal }> {
    const row = TOKEN_RE.test(token)
      ? await invitations.findInvitationByTokenHash(exec, sha256(token))
      : undefined;
    if (!row) return { ok: false, reason: 'unknown' };
    const state = stateOf(row, clock.now());
    if (state !== 'pending') return { ok: false, reason: state };
    if (!(await inviterMayStill(exec, row))) return { ok: false, reason: 'revoked' };
    const account = await findAccountById(exec, actor.accountId);
    if (!account || normalizeEmail(account.email) !== row.email_normalized)
      return { ok: false, reason: 'wrong_account' };
    // The address must be confirmed as this account's (its confirmation link was opened): otherwise
    // whoever sees a link the inviter shared could sign up with the invited address first and
    // accept in its owner's place. GitHub likewise asks for a verified email before joining.
    if (account.email_verified_at == null) return { ok: false, reason: 'unverified_email' };
    return { ok: true, row };
  }

  async function inviterMayStill(exec: Executor, row: InvitationRow): Promise<boolean> {
    const role = await repo.memberRole(exec, row.app_id, row.invited_by);
    if (!role) return false;
    try {
      authorizeMemberChange(role, undefined, row.role as AppRole);
      return true;
    } catch {
      return false;
    }
  }

  return {
    inviteMember,
    listInvitations,
    revokeInvitation,
    openInvitation,
    acceptInvitation,
    declineInvitation,
  };
}

function stateOf(row: InvitationRow, now: number): 'pending' | 'expired' | 'used' | 'revoked' {
  if (row.revoked_at !== null) return 'revoked';
  if (row.accepted_at !== null || row.declined_at !== null) return 'used';
  if (row.expires_at <= now) return 'expired';
  return 'pending';
}
