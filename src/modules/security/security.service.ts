/**
 * The Security page's read model: the account's signed-in sessions, its trusted devices and its
 * security events, each marked when it is the browser asking (OWASP ASVS 4.0.3 V3.3.4: a person
 * can see their active sessions and devices and end them). The changes themselves are the
 * sessions service's (`endSessionOf`, `forgetDevice`, `endAllOtherSessions`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { listLiveSessions } from '../sessions/sessions.repo.ts';
import { type DeviceLabel, deviceLabelOf } from './device-label.ts';
import { listSecurityEvents, type SecurityEvent } from './security-events.ts';
import { listDevices, type TrustedDevice } from './trusted-devices.repo.ts';

export interface SessionView {
  /** the SHA-256 the table is keyed by: names the session in a form, and is no credential */
  id: string;
  device: DeviceLabel;
  ip: string | null;
  lastSeenAt: number;
  current: boolean;
}

export interface DeviceView extends TrustedDevice {
  current: boolean;
}

export interface SecurityOverview {
  sessions: SessionView[];
  devices: DeviceView[];
  events: SecurityEvent[];
}

export function createSecurityService(db: Kysely<Database>, clock: Clock) {
  async function overview(
    accountId: string,
    asking: { sessionIdHash?: string; deviceToken?: string },
  ): Promise<SecurityOverview> {
    const now = clock.now();
    const currentSession = asking.sessionIdHash;
    const currentDevice = asking.deviceToken ? sha256(asking.deviceToken) : undefined;
    const [sessions, devices, events, mine] = await Promise.all([
      listLiveSessions(db, accountId, now),
      listDevices(db, accountId, now),
      listSecurityEvents(db, accountId),
      currentDevice
        ? db
            .selectFrom('trusted_devices')
            .select('id')
            .where('token_hash', '=', currentDevice)
            .where('account_id', '=', accountId)
            .executeTakeFirst()
        : undefined,
    ]);
    const sessionViews = sessions.map((s) => ({
      id: s.idHash,
      device: deviceLabelOf(s.userAgent),
      ip: s.ip,
      lastSeenAt: s.lastSeenAt,
      current: s.idHash === currentSession,
    }));
    return {
      // This browser first, then the most recently active.
      sessions: [...sessionViews.filter((s) => s.current), ...sessionViews.filter((s) => !s.current)],
      devices: devices.map((d) => ({ ...d, current: d.id === mine?.id })),
      events,
    };
  }

  return { overview };
}

export type SecurityService = ReturnType<typeof createSecurityService>;
