/**
 * What the connections domain needs from its neighbours, as narrow ports: the app registry
 * and the token store of the OAuth engine. Wired in src/services.ts.
 */

import type { Executor } from './connections.repo.ts';
import type { ConsentMode } from './consent-state.ts';

export interface AppLinkInfo {
  id: number;
  /** the app's name now: an unlink is recorded on the person's Security page under it */
  name: string;
  /** an unlink callback URL is configured (active or paused): case 1 */
  hasUnlinkCallback: boolean;
  consentModes: Record<string, ConsentMode>;
  /** JSON events the app subscribed to besides unlinks: 'user.linked', 'user.scope_withdrawn' */
  subscribedEvents: string[];
}

export interface AppsPort {
  getLinkInfo(db: Executor, appId: number): Promise<AppLinkInfo | undefined>;
}

export interface GrantRevoker {
  /** Revoke every token, grant and session of this app for this account, inside the unlink's transaction. */
  revokeConnection(trx: Executor, target: { accountId: string; appId: number }): Promise<void>;
}
