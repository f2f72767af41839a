/**
 * Developer access tokens for the JSON management API. A token (`yeon_dt_…`) is
 * shown once at creation; the table keeps only its SHA-256, so a copy of the database does not
 * hand out API access. Tokens act as their account: the apps policy decides the rest.
 *
 * A token lives 30, 90 or 365 days, or until revoked: a forgotten token in an old script or a
 * leaked CI log stops working by itself. Every surface (console, API, `yeon token create`)
 * passes the choice to createToken, which alone decides which choices exist.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { type FieldIssue, validationError } from '../../errors/catalogue.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import { hasControlChars } from '../../lib/text.ts';

export const TOKEN_PREFIX = 'yeon_dt_';
/** The longest name a token may carry (the console form's maxlength says the same). */
export const TOKEN_NAME_MAX = 60;
/**
 * Live tokens one account may hold: far more than any set of scripts needs, and a bound on the
 * rows (and the list page) a signed-in account can make by pressing "Create" in a loop.
 */
export const MAX_LIVE_TOKENS = 50;
/** The shape of the ids `newId('dt_')` makes: the prefix, then base-36 time and hex randomness. */
const TOKEN_ID = /^dt_[0-9a-z]{1,60}$/;
/** last_used_at is written at most once a minute per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** The lifetimes a developer may choose, in days; `null` is "until revoked". */
export const TOKEN_LIFETIME_DAYS = [30, 90, 365] as const;
export type TokenLifetime = (typeof TOKEN_LIFETIME_DAYS)[number] | null;
/** Chosen when none is given: long enough for a quarter's scripts, short enough to lapse. */
export const DEFAULT_TOKEN_LIFETIME: TokenLifetime = 90;
const DAY_MS = 86_400_000;

export interface DeveloperToken {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
  /** epoch ms from which the token is refused; null: until revoked. */
  expires_at: number | null;
  /** already refused (still listed, so its owner sees why a script stopped, and revokes it). */
  expired: boolean;
}

/**
 * @returns the lifetime `value` names (undefined is the default); for anything but 30, 90, 365
 *   or null it adds an issue on `expires_in_days` to `issues` instead.
 */
function lifetimeOf(value: unknown, issues: FieldIssue[]): TokenLifetime {
  if (value === undefined) return DEFAULT_TOKEN_LIFETIME;
  if (value === null || TOKEN_LIFETIME_DAYS.some((days) => days === value)) return value as TokenLifetime;
  issues.push({ field: 'expires_in_days', message: 'tokens.expiry_invalid' });
  return null;
}

/** Not revoked, and not yet expired at `now`: the one definition of a token that works. */
function workingAt(now: number) {
  return (eb: ExpressionBuilder<Database, 'developer_tokens'>) =>
    eb.and([eb('revoked_at', 'is', null), eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])]);
}

export function createDeveloperTokensService(db: Kysely<Database>, clock: Clock) {
  /**
   * @param expiresInDays 30, 90 or 365, or null for "until revoked"; undefined is 90.
   * @returns the token itself (shown once) and its listing entry.
   * @throws AppError('validation_failed') when the name is too long or holds control characters,
   *   when the lifetime is not one of the choices, or when the account already has
   *   MAX_LIVE_TOKENS live tokens.
   */
  async function createToken(
    accountId: string,
    name?: string,
    expiresInDays?: unknown,
  ): Promise<{ token: string } & DeveloperToken> {
    const label = (name ?? '').trim() || 'API token';
    const issues: FieldIssue[] = [];
    if (label.length > TOKEN_NAME_MAX)
      issues.push({ field: 'name', message: 'validation.too_long', params: { max: TOKEN_NAME_MAX } });
    else if (hasControlChars(label)) issues.push({ field: 'name', message: 'validation.invalid' });
    const lifetime = lifetimeOf(expiresInDays, issues);
    if (issues.length > 0) throw validationError(issues);
    const token = `${TOKEN_PREFIX}${randomToken(32)}`;
    const now = clock.now();
    const row = {
      id: newId('dt_'),
      name: label,
      created_at: now,
      last_used_at: null,
      expires_at: lifetime === null ? null : now + lifetime * DAY_MS,
    };
    // Count and insert together. Two creates at the very same moment may both pass the count:
    // the cap bounds abuse, it is not an exact quota, so no lock is taken for it.
    await db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('developer_tokens')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('account_id', '=', accountId)
        .where(workingAt(now))
        .executeTakeFirstOrThrow();
      if (Number(live.n) >= MAX_LIVE_TOKENS)
        throw validationError([
          { field: 'name', message: 'tokens.too_many', params: { max: MAX_LIVE_TOKENS } },
        ]);
      await trx
        .insertInto('developer_tokens')
        .values({ ...row, account_id: accountId, token_hash: sha256(token), revoked_at: null })
        .execute();
    });
    return { token, ...row, expired: false };
  }

  /** The account's tokens not revoked, expired ones included (marked). */
  async function listTokens(accountId: string): Promise<DeveloperToken[]> {
    const now = clock.now();
    const rows = await db
      .selectFrom('developer_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at'])
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ ...row, expired: row.expires_at !== null && row.expires_at <= now }));
  }

  /** @returns false when there was no such live token of this account. */
  async function revokeToken(accountId: string, tokenId: string): Promise<boolean> {
    // An id of another shape names no token. Checked before the query: PostgreSQL refuses a NUL
    // byte in a text parameter with an error, which would surface as a 500, not as "not found".
    if (!TOKEN_ID.test(tokenId)) return false;
    const result = await db
      .updateTable('developer_tokens')
      .set({ revoked_at: clock.now() })
      .where('id', '=', tokenId)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The account a live token acts for, or undefined (unknown, malformed, revoked or expired). */
  async function authenticate(token: string): Promise<{ accountId: string; tokenId: string } | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
    const now = clock.now();
    // Unqualified columns below are the token's: accounts has none of these names.
    const row = await db
      .selectFrom('developer_tokens')
      .innerJoin('accounts', 'accounts.id', 'developer_tokens.account_id')
      .select(['developer_tokens.id', 'developer_tokens.account_id', 'developer_tokens.last_used_at'])
      .where('token_hash', '=', sha256(token))
      .where(workingAt(now))
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.last_used_at === null || now - row.last_used_at >= TOUCH_INTERVAL_MS) {
      // The same condition in the WHERE: of several requests that read the old value at once, one
      // writes; the others update nothing, so a busy token costs one write a minute, not one each.
      await db
        .updateTable('developer_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - TOUCH_INTERVAL_MS)]),
        )
        .execute();
    }
    return { accountId: row.account_id, tokenId: row.id };
  }

  return { createToken, listTokens, revokeToken, authenticate };
}

export type DeveloperTokensService = ReturnType<typeof createDeveloperTokensService>;
