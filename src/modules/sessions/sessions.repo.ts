/** Session queries that other flows run inside their own transaction. Take `db` or a transaction. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { deleteDevices } from '../security/trusted-devices.repo.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface EndedElsewhere {
  sessionsEnded: number;
  devicesForgotten: number;
}

/**
 * Ends every session of the account except `keepSessionIdHash`, and forgets every trusted device
 * except the one the kept session signed in from: after a password change or a "sign out
 * everywhere else", no other browser stays signed in or keeps its exemption from the account-wide
 * login block (OWASP ASVS 4.0.3 V3.3.3, V3.3.4). Without `keepSessionIdHash` every session and
 * every device goes (a password reset by email, where no session is the person's for sure).
 * App links and their tokens are not touched: apps are managed on Manage Connected Services.
 */
export async function endOtherSessionsWithin(
  trx: Executor,
  accountId: string,
  keep: { keepSessionIdHash?: string } = {},
): Promise<EndedElsewhere> {
  const kept = keep.keepSessionIdHash
    ? await trx
        .selectFrom('sessions')
        .select('device_id')
        .where('id_hash', '=', keep.keepSessionIdHash)
        .where('account_id', '=', accountId)
        .executeTakeFirst()
    : undefined;
  let q = trx.deleteFrom('sessions').where('account_id', '=', accountId);
  if (kept) q = q.where('id_hash', '!=', keep.keepSessionIdHash!);
  const sessions = await q.executeTakeFirst();
  const devicesForgotten = await deleteDevices(trx, accountId, { keepId: kept?.device_id ?? null });
  return { sessionsEnded: Number(sessions.numDeletedRows), devicesForgotten };
}

export interface SessionSummary {
  idHash: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: number;
  lastSeenAt: number;
  deviceId: string | null;
}

export async function listLiveSessions(
  db: Executor,
  accountId: string,
  now: number,
): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id_hash', 'user_agent', 'ip', 'created_at', 'last_seen_at', 'device_id'])
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    idHash: r.id_hash,
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    deviceId: r.device_id,
  }));
}
