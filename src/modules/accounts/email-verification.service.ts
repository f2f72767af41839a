/**
 * Confirming an email address and changing it. An address counts as verified only once the person
 * opened a link mailed to it (Kakao REST API "Retrieve user information" `is_email_verified`;
 * OpenID Connect Core §5.1 `email_verified`). A new address is confirmed through a link sent to it
 * before it replaces the old one, and the old address is told of the change (OWASP ASVS V2.5.5 and
 * V2.2.3), so a stolen session alone cannot move the account to an attacker's mailbox unseen.
 */
import type { Kysely } from 'kysely';
import type { Account, Database } from '../../db/database.ts';
import { AppError, validationError } from '../../errors/catalogue.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { Clock } from '../../lib/clock.ts';
import { enqueueMail } from '../mail/mail-outbox.ts';
import { recordSecurityEvent } from '../security/security-events.ts';
import { consumeToken, findLiveToken, pendingEmailChange, retireTokens } from './account-tokens.repo.ts';
import { findAccountByEmail, findAccountById, updateAccount } from './accounts.repo.ts';
import { issueLink, type LinkSettings, mailLocale, tokenHashOf } from './email-links.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { PasswordHasher } from './password.ts';
import { displayEmail, emailIssues, normalizeEmail } from './profile.ts';
import { changeEmailLimits, type RecoveryLimits, resendLimits } from './recovery-limits.ts';

export interface EmailVerificationDeps {
  db: Kysely<Database>;
  clock: Clock;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  limits: RecoveryLimits;
  links: LinkSettings;
}

/** What a confirmation link is about, for the page that asks the person to press Confirm. */
export interface EmailLinkPreview {
  email: string;
  purpose: 'verify_email' | 'change_email';
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export function createEmailVerificationService(deps: EmailVerificationDeps) {
  const { db, clock, hasher, throttle, limits, links } = deps;

  /** The state the account page shows: verified or not, and an address waiting for confirmation. */
  async function status(account: Account): Promise<{ verified: boolean; pendingEmail?: string }> {
    const pending = await pendingEmailChange(db, account.id, clock.now());
    return { verified: account.email_verified_at != null, pendingEmail: pending?.email };
  }

  /**
   * Sends the confirmation link again (it replaces the previous one).
   * @throws AppError('rate_limited') more than once a minute or five times an hour
   */
  async function resend(accountId: string, pageLocale: Locale): Promise<{ email: string; already: boolean }> {
    const account = await findAccountById(db, accountId);
    if (!account) throw new AppError('not_found');
    if (account.email_verified_at != null) return { email: account.email, already: true };
    await limits.take(resendLimits(accountId));
    await db.transaction().execute((trx) =>
      issueLink(trx, links, {
        accountId,
        purpose: 'verify_email',
        email: account.email,
        emailNormalized: account.email_normalized,
        locale: mailLocale(account.locale, pageLocale),
        now: clock.now(),
      }),
    );
    links.mailCommitted();
    return { email: account.email, already: false };
  }

  /** @throws AppError('recovery_link_invalid') for an unknown, used, replaced or expired link */
  async function preview(token: string): Promise<EmailLinkPreview> {
    const row = await findLiveToken(db, tokenHashOf(token), clock.now());
    if (!row || (row.purpose !== 'verify_email' && row.purpose !== 'change_email'))
      throw new AppError('recovery_link_invalid');
    return { email: row.email, purpose: row.purpose };
  }

  /**
   * Uses a confirmation link: confirms the account's address, or moves the account to the new
   * address (telling the old one). One transaction; the link works once.
   * @throws AppError('recovery_link_invalid' | 'email_taken')
   */
  async function confirm(
    token: string,
    meta: { ip?: string } = {},
  ): Promise<{ email: string; accountId: string }> {
    const hash = tokenHashOf(token);
    const now = clock.now();
    const row = await findLiveToken(db, hash, now);
    if (!row || (row.purpose !== 'verify_email' && row.purpose !== 'change_email'))
      throw new AppError('recovery_link_invalid');
    let oldAccount: Account | undefined;
    try {
      await db.transaction().execute(async (trx) => {
        if (!(await consumeToken(trx, hash, now))) throw new AppError('recovery_link_invalid');
        const account = await findAccountById(trx, row.account_id);
        if (!account) throw new AppError('recovery_link_invalid');
        if (row.purpose === 'verify_email') {
          // A link for an address the account no longer has proves nothing about the current one.
          if (account.email_normalized !== row.email_normalized) throw new AppError('recovery_link_invalid');
          if (account.email_verified_at == null)
            await updateAccount(trx, account.id, { email_verified_at: now });
          return;
        }
        const holder = await findAccountByEmail(trx, row.email_normalized);
        if (holder && holder.id !== account.id) throw new AppError('email_taken');
        oldAccount = account;
        await updateAccount(trx, account.id, {
          email: row.email,
          email_normalized: row.email_normalized,
          email_verified_at: now,
          updated_at: now,
        });
        // Links sent to the old address (confirmation, password reset) stop working with it.
        await retireTokens(trx, account.id, ['verify_email', 'change_email', 'reset_password'], now);
        await recordSecurityEvent(trx, {
          accountId: account.id,
          kind: 'email_changed',
          at: now,
          ip: meta.ip ?? null,
          detail: row.email,
        });
        await enqueueMail(
          trx,
          {
            to: account.email,
            locale: mailLocale(account.locale, links.defaultLocale),
            kind: 'email_changed_notice',
            params: { new_email: row.email },
            accountId: account.id,
          },
          now,
        );
      });
    } catch (err) {
      // Two accounts confirming the same new address at once: the unique index decides.
      if (isUniqueViolation(err)) throw new AppError('email_taken');
      throw err;
    }
    if (oldAccount) links.mailCommitted();
    return { email: row.email, accountId: row.account_id };
  }

  /**
   * Starts a change of address: the current password (counted by the login throttle like a
   * login, before it is hashed), then a link to the new address. Nothing changes until it is opened.
   * @throws AppError('validation_failed' | 'email_taken' | 'login_throttled' | 'rate_limited')
   */
  async function requestChange(input: {
    accountId: string;
    newEmail: string;
    currentPassword: string;
    ip: string;
    trustedDevice: boolean;
    pageLocale: Locale;
  }): Promise<{ email: string }> {
    const account = await findAccountById(db, input.accountId);
    if (!account) throw new AppError('not_found');
    const issues = emailIssues(input.newEmail).map((i) => ({ ...i, field: 'new_email' }));
    if (issues.length) throw validationError(issues);
    const email = displayEmail(input.newEmail);
    const emailNormalized = normalizeEmail(input.newEmail);
    if (emailNormalized === account.email_normalized)
      throw validationError([{ field: 'new_email', message: 'recovery.change_email.same' }]);
    const attempt = await throttle.begin(account.email_normalized, input.ip, input.trustedDevice);
    if (
      !(await throttle.verifyCounted(attempt, () =>
        hasher.verify(account.password_hash, input.currentPassword),
      ))
    )
      throw validationError([
        { field: 'current_password', message: 'recovery.change_password.wrong_current' },
      ]);
    await throttle.succeeded(attempt);
    if (await findAccountByEmail(db, emailNormalized)) throw new AppError('email_taken');
    await limits.take(changeEmailLimits(account.id));
    await db.transaction().execute((trx) =>
      issueLink(trx, links, {
        accountId: account.id,
        purpose: 'change_email',
        email,
        emailNormalized,
        locale: mailLocale(account.locale, input.pageLocale),
        now: clock.now(),
      }),
    );
    links.mailCommitted();
    return { email };
  }

  return { status, resend, preview, confirm, requestChange };
}

export type EmailVerificationService = ReturnType<typeof createEmailVerificationService>;
