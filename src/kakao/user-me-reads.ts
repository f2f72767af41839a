/**
 * The reads behind the Kakao user APIs' hottest route, `/v2/user/me`: after the
 * token, two statements, each built and compiled once per database (src/oidc/precompiled.ts).
 * On SQLite every statement pays for its own read lock, so the number of statements is what counts.
 *
 * 1. The Bearer caller's connection: the live link of the token's account at the app whose live
 *    REST API key is the token's client id. Read on every request, so an unlink or a revoked key
 *    stops the token at once.
 * 2. What the connection shows: the account, one row per consent item the app offers (with the
 *    live agreement, if any) and one per custom property. Live consents are the truth
 *    (never the token's scopes alone), so that statement is the connections domain's
 *    (src/modules/connections/consent-reads.ts `loadConnectionView`).
 * (One statement for both was measured too: SQLite then spends more compiling its SQL on every
 * request than the second statement costs, unless prepared statements are cached.)
 */
import { sql } from 'kysely';
import { keyNow } from '../modules/apps/app-key-clock.ts';
import type { Executor } from '../modules/apps/apps.repo.ts';
import { CLIENT_KEY_KINDS } from '../modules/apps/apps.types.ts';
import type { Connection } from '../modules/connections/connections.repo.ts';
import { precompiled } from '../oidc/precompiled.ts';

const bearerConnection = precompiled(['restApiKey', 'accountId', 'now'], (db, arg) =>
  db
    .selectFrom('app_keys as k')
    .innerJoin('connections as c', 'c.app_id', 'k.app_id')
    .selectAll('c')
    .where('k.key', '=', arg.restApiKey)
    .where('k.kind', 'in', [...CLIENT_KEY_KINDS])
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.expires_at', 'is', null), eb('k.expires_at', '>', arg.now)]))
    .where('c.account_id', '=', arg.accountId)
    // a literal, so SQLite uses the partial unique index connections_one_live_link
    .where('c.status', '=', sql.lit('linked')),
);

/**
 * The live connection of `accountId` at the app whose live client key is `restApiKey` (an access
 * token's client id: the REST API, JavaScript or native key), in one indexed join (app_keys.app_id references apps, so the app exists).
 */
export async function findBearerConnection(
  db: Executor,
  restApiKey: string,
  accountId: string,
): Promise<Connection | undefined> {
  return (await bearerConnection(db, { restApiKey, accountId, now: keyNow(db) })).rows[0];
}
