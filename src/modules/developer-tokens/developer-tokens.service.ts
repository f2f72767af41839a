/**
 * Developer access tokens for the JSON management API. A token (`yeon_dt_…`) is
 * shown once at creation; the table keeps only its SHA-256, so a copy of the database does not
 * hand out API access. Tokens act as their account: the apps policy decides the rest.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { validationError } from '../../errors/catalogue.ts';
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

export interface DeveloperToken {
  id: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export function createDeveloperTokensService(db: Kysely<Database>, clock: Clock) {
  /**
   * @returns the token itself (shown once) and its listing entry.
   * @throws AppError('validation_failed') when the name is too long or holds control characters,
   *   or when the account already has MAX_LIVE_TOKENS live tokens.
   */
  async function createToken(accountId: string, name?: string): Promise<{ token: string } & DeveloperToken> {
    const label = (name ?? '').trim() || 'API token';
    if (label.length > TOKEN_NAME_MAX)
      throw validationError([
        { field: 'name', message: 'validation.too_long', params: { max: TOKEN_NAME_MAX } },
      ]);
    if (hasControlChars(label)) throw validationError([{ field: 'name', message: 'validation.invalid' }]);
    const token = `${TOKEN_PREFIX}${randomToken(32)}`;
    const row = { id: newId('dt_'), name: label, created_at: clock.now(), last_used_at: null };
    // Count and insert together. Two creates at the very same moment may both pass the count:
    // the cap bounds abuse, it is not an exact quota, so no lock is taken for it.
    await db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('developer_tokens')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
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
    return { token, ...row };
  }

  async function listTokens(accountId: string): Promise<DeveloperToken[]> {
    return db
      .selectFrom('developer_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
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

  /** The account a live token acts for, or undefined (unknown, malformed or revoked). */
  async function authenticate(token: string): Promise<{ accountId: string; tokenId: string } | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
    const row = await db
      .selectFrom('developer_tokens as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select(['t.id', 't.account_id', 't.last_used_at'])
      .where('t.token_hash', '=', sha256(token))
      .where('t.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = clock.now();
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
