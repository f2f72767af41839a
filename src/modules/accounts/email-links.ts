/**
 * The one-time links mailed to a person: a random secret in the URL, only its SHA-256 stored, one
 * use, a short life (OWASP Forgot Password Cheat Sheet "URL tokens"; NIST SP 800-63B §5.1.1.2 and
 * ASVS V2.5.1 for the reset link). Issuing a link retires the older open links of the same purpose,
 * so only the newest mail works. The link and its mail are written in the caller's transaction.
 */
import type { AccountTokenPurpose } from '../../db/tables/recovery.ts';
import { isLocale, type Locale } from '../../i18n/locale.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { enqueueMail } from '../mail/mail-outbox.ts';
import { insertToken, retireTokens } from './account-tokens.repo.ts';
import type { Executor } from './accounts.repo.ts';
import { HOUR, MINUTE } from './recovery-limits.ts';

export const LINK_TTL_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 24 * HOUR,
  change_email: 24 * HOUR,
  reset_password: 30 * MINUTE,
};

/** The page each link opens; the token travels in the query and is posted back by that page's form. */
const LINK_PATH: Record<AccountTokenPurpose, string> = {
  verify_email: '/verify-email',
  change_email: '/verify-email',
  reset_password: '/reset-password',
};

const MAIL_KIND: Record<AccountTokenPurpose, string> = {
  verify_email: 'verify_email',
  change_email: 'email_change_verify',
  reset_password: 'password_reset',
};

export interface LinkSettings {
  /** the platform's public base URL (config `issuer`), without a trailing slash */
  issuer: string;
  /** wakes the mail sender after the COMMIT (services.mailSignal.committed) */
  mailCommitted: () => void;
  /** the mail's language when neither the account nor the page says (config `defaultLocale`) */
  defaultLocale: Locale;
}

export const tokenHashOf = (token: string) => sha256(token);

/** The mail's language: the account's own, else the language of the page that asked for it. */
export function mailLocale(accountLocale: string | null, fallback: Locale): Locale {
  return isLocale(accountLocale) ? accountLocale : fallback;
}

/**
 * Issues a link for `purpose` to `email` and queues its mail, in `trx`.
 * @returns nothing: the secret exists only in the queued mail
 */
export async function issueLink(
  trx: Executor,
  settings: LinkSettings,
  input: {
    accountId: string;
    purpose: AccountTokenPurpose;
    email: string;
    emailNormalized: string;
    locale: Locale;
    now: number;
  },
): Promise<void> {
  const token = randomToken(32);
  await retireTokens(trx, input.accountId, [input.purpose], input.now);
  await insertToken(trx, {
    token_hash: tokenHashOf(token),
    account_id: input.accountId,
    purpose: input.purpose,
    email: input.email,
    email_normalized: input.emailNormalized,
    created_at: input.now,
    expires_at: input.now + LINK_TTL_MS[input.purpose],
    used_at: null,
  });
  const url = `${settings.issuer}${LINK_PATH[input.purpose]}?token=${token}`;
  const params: Record<string, string> =
    input.purpose === 'reset_password' ? { url } : { url, email: input.email };
  await enqueueMail(
    trx,
    {
      to: input.email,
      locale: input.locale,
      kind: MAIL_KIND[input.purpose],
      params,
      accountId: input.accountId,
    },
    input.now,
  );
}
