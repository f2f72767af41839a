/**
 * The connections domain's `GrantRevoker`, over the OAuth engine's storage: an unlink deletes the
 * grant and every code, access and refresh token of that account at that app, inside the unlink's
 * transaction, so they are dead the moment it commits (RFC 7009 §2.1).
 * Access tokens are opaque and looked up on each use, so a deleted row is a refused token.
 */
import type { Db } from '../db/create-db.ts';
import { liveKeys } from '../modules/apps/apps.repo.ts';
import { isClientKeyKind } from '../modules/apps/apps.types.ts';
import type { GrantRevoker } from '../modules/connections/connections.ports.ts';
import { revokeAccountAtClient } from './kysely-adapter.ts';

export const oidcGrantRevoker: GrantRevoker = {
  async revokeConnection(trx, { accountId, appId }) {
    // Every client key of the app (REST API, JavaScript, native: clients.ts) is an OAuth client id.
    const keys = await liveKeys(trx, appId);
    for (const key of keys.filter((k) => isClientKeyKind(k.kind))) {
      await revokeAccountAtClient(trx as Db, accountId, key.key);
    }
  },
};
