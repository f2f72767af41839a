/** The app registry seen through the connections domain's narrow `AppsPort`. */
import { findAppRow, listConsentItems } from '../apps/apps.repo.ts';
import { subscribedEventsOf } from '../notifications/events.ts';
import type { AppLinkInfo, AppsPort } from './connections.ports.ts';
import type { ConsentMode } from './consent-state.ts';

export const appsPort: AppsPort = {
  async getLinkInfo(db, appId): Promise<AppLinkInfo | undefined> {
    const app = await findAppRow(db, appId);
    if (!app) return undefined;
    const consentModes: Record<string, ConsentMode> = {};
    for (const item of await listConsentItems(db, appId)) consentModes[item.item] = item.mode;
    return {
      id: app.id,
      name: app.name,
      // Case 1 is "an unlink callback is configured", whether active or paused.
      hasUnlinkCallback: !!app.unlink_callback_url,
      consentModes,
      // Opt-in JSON events; an app on the Kakao format gets unlinks only.
      subscribedEvents: subscribedEventsOf(app),
    };
  },
};
