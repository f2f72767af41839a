/**
 * Forgot password, reset by link, and change password (OWASP Forgot Password Cheat Sheet; ASVS
 * V2.5 "Credential Recovery"; NIST SP 800-63B §5.1.1.2). Every new password goes through the same
 * policy as sign-up. Setting a password ends every other session and trusted device, records a
 * `password_changed` security event and mails a notice, all in the transaction that changes the
 * hash, so none of them can be missing after a crash (ASVS V3.3.3, V2.2.3).
 */
import type { Kysely } from 'kysely';
import type { Account, Database } from '../../db/database.ts';
import { AppError, validationError } from '../../errors/catalogue.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { Clock } from '../../lib/clock.ts';
import { hasControlChars } from '../../lib/text.ts';
import { enqueueMail } from '../mail/mail-outbox.ts';
import { recordSecurityEvent } from '../security/security-events.ts';
import { endOtherSessionsWithin } from '../sessions/sessions.repo.ts';
import { consumeToken, findLiveToken, retireTokens } from './account-tokens.repo.ts';
import { type Executor, findAccountByEmail, findAccountById, updateAccount } from './accounts.repo.ts';
import { issueLink, type LinkSettings, mailLocale, tokenHashOf } from './email-links.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { newPasswordIssues, type PasswordHasher } from './password.ts';
import { emailIssues, normalizeEmail } from './profile.ts';
import { forgotLimits, type RecoveryLimits } from './recovery-limits.ts';

export interface PasswordRecoveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  limits: RecoveryLimits;
  links: LinkSettings;
}

export function createPasswordRecoveryService(deps: PasswordRecoveryDeps) {
  const { db, clock, hasher, throttle, limits, links } = deps;

  /** The new hash, the sessions and devices ended, the event and the notice: one transaction's work. */
  async function setPasswordWithin(
    trx: Executor,
    account: Account,
    passwordHash: string,
    meta: { keepSessionIdHash?: string; ip?: string; now: number },
  ): Promise<void> {
    await updateAccount(trx, account.id, { password_hash: passwordHash, updated_at: meta.now });
    await retireTokens(trx, account.id, ['reset_password'], meta.now);
    await endOtherSessionsWithin(trx, account.id, { keepSessionIdHash: meta.keepSessionIdHash });
    await recordSecurityEvent(trx, {
      accountId: account.id,
      kind: 'password_changed',
      at: meta.now,
      ip: meta.ip,
    });
    await enqueueMail(
      trx,
      {
        to: account.email,
        locale: mailLocale(account.locale, links.defaultLocale),
        kind: 'password_changed',
        params: {},
        accountId: account.id,
      },
      meta.now,
    );
  }

  /**
   * Mails a reset link if an account has this address. The answer is the same either way, and so
   * is the throttle (its keys never depend on the account existing), so it reveals nothing
   * (OWASP Forgot Password Cheat Sheet "Return a consistent message for both existent and
   * non-existent accounts").
   * @throws AppError('validation_failed') for a malformed address; AppError('rate_limited')
   */
  async function requestReset(input: { email: string; ip: string; pageLocale: Locale }): Promise<void> {
    const issues = emailIssues(input.email);
    if (issues.length) throw validationError(issues);
    const typed = normalizeEmail(input.email);
    const emailKey = hasControlChars(typed) ? '' : typed;
    await limits.take(forgotLimits(input.ip, emailKey));
    const account = emailKey ? await findAccountByEmail(db, emailKey) : undefined;
    // The same transaction is opened for an unknown address, so both answers cost one round of writes.
    await db.transaction().execute(async (trx) => {
      if (!account) return;
      await issueLink(trx, links, {
        accountId: account.id,
        purpose: 'reset_password',
        email: account.email,
        emailNormalized: account.email_normalized,
        locale: mailLocale(account.locale, input.pageLocale),
        now: clock.now(),
      });
    });
    if (account) links.mailCommitted();
  }

  /** A live reset link and its account, or AppError('recovery_link_invalid'). */
  async function liveReset(token: string) {
    const row = await findLiveToken(db, tokenHashOf(token), clock.now());
    const account = row?.purpose === 'reset_password' ? await findAccountById(db, row.account_id) : undefined;
    // A link sent to an address the account has since left is dead.
    if (!row || !account || account.email_normalized !== row.email_normalized)
      throw new AppError('recovery_link_invalid');
    return account;
  }

  /** For the reset page: whose password the link sets. @throws AppError('recovery_link_invalid') */
  async function previewReset(token: string): Promise<{ email: string }> {
    return { email: (await liveReset(token)).email };
  }

  /**
   * Sets a new password through a reset link. The link is checked before the password (a weak
   * password does not use it up) and used by a conditional update in the transaction, so it
   * works once even when two requests race. Every session and trusted device ends.
   * @throws AppError('recovery_link_invalid' | 'validation_failed')
   */
  async function reset(input: { token: string; password: string; ip?: string }): Promise<{ email: string }> {
    const account = await liveReset(input.token);
    const issues = await newPasswordIssues(input.password, [account.email, account.nickname]);
    if (issues.length) throw validationError(issues);
    const passwordHash = await hasher.hash(input.password);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      if (!(await consumeToken(trx, tokenHashOf(input.token), now)))
        throw new AppError('recovery_link_invalid');
      await setPasswordWithin(trx, account, passwordHash, { ip: input.ip, now });
    });
    links.mailCommitted();
    return { email: account.email };
  }

  /**
   * Changes the password of a signed-in person: the current password is counted by the login
   * throttle before it is hashed (as a login is), the new one must pass the policy, and every
   * other session and device ends; this browser stays signed in.
   * @throws AppError('validation_failed' | 'login_throttled')
   */
  async function change(input: {
    accountId: string;
    sessionIdHash?: string;
    currentPassword: string;
    newPassword: string;
    ip: string;
    trustedDevice: boolean;
  }): Promise<void> {
    const account = await findAccountById(db, input.accountId);
    if (!account) throw new AppError('not_found');
    const issues = await newPasswordIssues(
      input.newPassword,
      [account.email, account.nickname],
      'new_password',
    );
    if (issues.length) throw validationError(issues);
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
    const passwordHash = await hasher.hash(input.newPassword);
    const now = clock.now();
    await db.transaction().execute((trx) =>
      setPasswordWithin(trx, account, passwordHash, {
        keepSessionIdHash: input.sessionIdHash,
        ip: input.ip,
        now,
      }),
    );
    links.mailCommitted();
  }

  return { requestReset, previewReset, reset, change };
}

export type PasswordRecoveryService = ReturnType<typeof createPasswordRecoveryService>;
