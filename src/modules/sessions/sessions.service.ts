/**
 * Server-side sessions: stored in the database so that any instance can serve any
 * request. The cookie holds a random token; the table holds only its SHA-256. A new token is
 * minted at every login (session fixation, ASVS V3.2.1) and logout deletes the row.
 */
import type { Kysely } from 'kysely';
import type { Account, Database, Session } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';

export interface SessionSettings {
  ttlMs: number;
  rememberMs: number;
}

/** How often last_seen_at is written: at most once a minute per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function createSessionService(db: Kysely<Database>, clock: Clock, settings: SessionSettings) {
  async function start(input: { accountId: string; remember: boolean; userAgent?: string; ip?: string }) {
    const token = randomToken(32);
    const now = clock.now();
    const lifetime = input.remember ? settings.rememberMs : settings.ttlMs;
    await db
      .insertInto('sessions')
      .values({
        id_hash: sha256(token),
        account_id: input.accountId,
        created_at: now,
        last_seen_at: now,
        expires_at: now + lifetime,
        remember: input.remember ? 1 : 0,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
        ip: input.ip ?? null,
      })
      .execute();
    return { token, expiresAt: now + lifetime };
  }

  /** The live session and its account for a cookie token, or undefined. */
  async function resolve(token: string): Promise<{ session: Session; account: Account } | undefined> {
    const idHash = sha256(token);
    const row = await db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .selectAll('accounts')
      .select([
        'sessions.id_hash as s_id_hash',
        'sessions.created_at as s_created_at',
        'sessions.last_seen_at as s_last_seen_at',
        'sessions.expires_at as s_expires_at',
        'sessions.remember as s_remember',
        'sessions.user_agent as s_user_agent',
        'sessions.ip as s_ip',
      ])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    const now = clock.now();
    if (!row || row.s_expires_at <= now) return undefined;
    const {
      s_id_hash,
      s_created_at,
      s_last_seen_at,
      s_expires_at,
      s_remember,
      s_user_agent,
      s_ip,
      ...account
    } = row;
    const session: Session = {
      id_hash: s_id_hash,
      account_id: account.id,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
      expires_at: s_expires_at,
      remember: s_remember,
      user_agent: s_user_agent,
      ip: s_ip,
    };
    if (now - session.last_seen_at > TOUCH_INTERVAL_MS) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    }
    return { session, account };
  }

  async function end(token: string): Promise<void> {
    await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
  }

  async function endAllForAccount(accountId: string): Promise<void> {
    await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
  }

  async function purgeExpired(): Promise<number> {
    const result = await db.deleteFrom('sessions').where('expires_at', '<=', clock.now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  return { start, resolve, end, endAllForAccount, purgeExpired };
}

export type SessionService = ReturnType<typeof createSessionService>;
