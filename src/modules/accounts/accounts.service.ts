/**
 * Account rules: sign-up, authentication and profile edits.
 * No Fastify in here: routes, the CLI and tests call the same functions.
 */
import type { Kysely } from 'kysely';
import type { Account, Database } from '../../db/database.ts';
import { AppError, type FieldIssue, validationError } from '../../errors/catalogue.ts';
import { isLocale } from '../../i18n/locale.ts';
import type { Clock } from '../../lib/clock.ts';
import { newId } from '../../lib/ids.ts';
import { hasControlChars } from '../../lib/text.ts';
import { findAccountByEmail, findAccountById, insertAccount, updateAccount } from './accounts.repo.ts';
import { issueLink, type LinkSettings } from './email-links.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { newPasswordIssues, type PasswordHasher } from './password.ts';
import { displayEmail, emailIssues, normalizeEmail, type ProfileInput, parseProfile } from './profile.ts';

export interface SignUpInput extends ProfileInput {
  email: string;
  password: string;
  locale?: string;
  /** the client's address: sign-ups through the web are throttled per address (the CLI gives none) */
  ip?: string;
}

export interface AccountsDeps {
  db: Kysely<Database>;
  clock: Clock;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  /** where confirmation links point and how the mail sender is woken */
  links: LinkSettings;
}

/** A real argon2id hash of a random string: unknown emails are verified against it, so they cost the same time. */
let dummyHash: Promise<string> | undefined;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

export function createAccountsService({ db, clock, hasher, throttle, links }: AccountsDeps) {
  /**
   * Creates the account and, in the same transaction, queues the mail with its email confirmation
   * link: until the link is opened the account works, but its address is not vouched for.
   * @throws AppError('validation_failed') with field issues; AppError('email_taken').
   */
  async function signUp(input: SignUpInput): Promise<Account> {
    const { profile, issues } = parseProfile(input, clock.now());
    const all: FieldIssue[] = [
      ...emailIssues(input.email),
      ...(await newPasswordIssues(input.password, [input.email, input.nickname])),
      ...issues,
    ];
    if (all.length) throw validationError(all);
    // Counted before the lookup and the hash: one address cannot spend the hasher on sign-ups.
    if (input.ip !== undefined) await throttle.beginSignUp(input.ip);
    const emailNormalized = normalizeEmail(input.email);
    if (await findAccountByEmail(db, emailNormalized)) throw new AppError('email_taken');
    const now = clock.now();
    const account = {
      id: newId('acc_'),
      email: displayEmail(input.email),
      email_normalized: emailNormalized,
      password_hash: await hasher.hash(input.password),
      ...profile,
      profile_image_url: profile.profile_image_url ?? null,
      locale: input.locale ?? null,
      email_verified_at: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await db.transaction().execute(async (trx) => {
        await insertAccount(trx, account);
        await issueLink(trx, links, {
          accountId: account.id,
          purpose: 'verify_email',
          email: account.email,
          emailNormalized,
          locale: isLocale(input.locale) ? input.locale : links.defaultLocale,
          now,
        });
      });
    } catch (err) {
      // Two sign-ups racing for one email: the unique index decides.
      if (isUniqueViolation(err)) throw new AppError('email_taken');
      throw err;
    }
    links.mailCommitted();
    return account;
  }

  /**
   * Unknown email and wrong password give the same error, after the same work.
   * @throws AppError('invalid_credentials' | 'login_throttled')
   */
  async function authenticate(input: {
    email: string;
    password: string;
    ip: string;
    trustedDevice?: boolean;
  }): Promise<Account> {
    // No account's email holds a control character (emailIssues refuses them at sign-up), and
    // PostgreSQL's text cannot hold NUL: such an email is counted and refused as matching no one.
    const typed = normalizeEmail(input.email);
    const email = hasControlChars(typed) ? '' : typed;
    // Counted before the hash, so parallel guesses cannot all be verified (ASVS V2.2.1).
    const attempt = await throttle.begin(email, input.ip, input.trustedDevice ?? false);
    const account = email ? await findAccountByEmail(db, email) : undefined;
    dummyHash ??= hasher.hash(`dummy-${newId()}`);
    const hashed = account?.password_hash ?? (await dummyHash);
    const ok = await throttle.verifyCounted(attempt, () => hasher.verify(hashed, input.password));
    if (!account || !ok) throw new AppError('invalid_credentials');
    await throttle.succeeded(attempt);
    return account;
  }

  /** @throws AppError('validation_failed' | 'not_found') */
  async function updateProfile(accountId: string, input: ProfileInput): Promise<Account> {
    const { profile, issues } = parseProfile(input, clock.now());
    if (issues.length) throw validationError(issues);
    await updateAccount(db, accountId, { ...profile, updated_at: clock.now() });
    const account = await findAccountById(db, accountId);
    if (!account) throw new AppError('not_found');
    return account;
  }

  async function setLocale(accountId: string, locale: string): Promise<void> {
    await updateAccount(db, accountId, { locale });
  }

  async function getByEmail(email: string): Promise<Account | undefined> {
    return findAccountByEmail(db, normalizeEmail(email));
  }

  return {
    signUp,
    authenticate,
    updateProfile,
    setLocale,
    getByEmail,
    getById: (id: string) => findAccountById(db, id),
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
