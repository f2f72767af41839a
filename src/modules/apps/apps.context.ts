/**
 * What the apps service parts share: dependencies, and `access()`, the one path from an actor to
 * an app, which asks apps.policy.ts and nothing else.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { TEST_NOTIFICATION_COOLDOWN_MS } from '../notifications/test-notification.ts';
import type { UnlinkWithin } from './app-deletion.ts';
import { type AppAction, authorize } from './apps.policy.ts';
import { type Executor, memberRole } from './apps.repo.ts';
import type { Actor, AppRole, AppRow, TestNotificationResult } from './apps.types.ts';
import type { UrlRules } from './apps.validation.ts';

/** The outbound SSRF guard's contract (src/modules/outbound/ssrf-guard.ts). */
export type CheckDestination = (
  url: string,
  policy: { allow: string[]; resolve?: (host: string) => Promise<string[]> },
) => Promise<{ ok: true; addresses: string[] } | { ok: false; reason: string; address?: string }>;

export interface AppsDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** CIDRs callbacks may reach despite the SSRF guard (config `outboundAllow`). */
  outboundAllow: string[];
  /** How long a rotated-out webhook secret keeps signing (default 24 h). */
  webhookSecretOverlapMs?: number;
  /** Where yeon runs (config `YEON_ENV`): production refuses plain-http app URLs (apps.validation.ts). */
  environment?: 'development' | 'test' | 'production';
  /** A measurement run (config `loopbackMeasurement`): plain-http loopback callbacks pass in production. */
  loopbackMeasurement?: boolean;
  /** Time between two test notifications of one app (default 30 s). */
  testNotificationCooldownMs?: number;
  /** The SSRF guard; without one, every callback URL is refused (fail closed). */
  checkDestination?: CheckDestination;
  /** DNS override for tests. */
  resolveHost?: (host: string) => Promise<string[]>;
  /** Ends one link inside an app deletion's transaction (connections.unlinkWithin; app-deletion.ts). */
  unlinkWithin?: UnlinkWithin;
  /** Called after a COMMIT that wrote outbox rows: wakes this process's dispatcher. */
  outboxCommitted?: () => void;
  /** Sends a test unlink notification (src/modules/notifications). */
  sendTestNotification?: (
    app: AppRow & { admin_key: string | null },
    secrets: string[],
  ) => Promise<TestNotificationResult>;
}

export interface AppsContext extends AppsDeps {
  /** What app URLs must be in this environment, for every parse of one (apps.validation.ts). */
  urlRules: UrlRules;
  webhookSecretOverlapMs: number;
  testNotificationCooldownMs: number;
  /**
   * The actor's role on the app if `action` is allowed.
   * @throws AppError('not_found') for non-members (and unknown apps); AppError('forbidden').
   */
  access(actor: Actor, appId: number, action: AppAction, db?: Executor): Promise<AppRole>;
}

export const DEFAULT_WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

export function createAppsContext(deps: AppsDeps): AppsContext {
  return {
    ...deps,
    urlRules: { production: deps.environment === 'production', loopbackCallbacks: deps.loopbackMeasurement },
    webhookSecretOverlapMs: deps.webhookSecretOverlapMs ?? DEFAULT_WEBHOOK_SECRET_OVERLAP_MS,
    testNotificationCooldownMs: deps.testNotificationCooldownMs ?? TEST_NOTIFICATION_COOLDOWN_MS,
    async access(actor, appId, action, db = deps.db) {
      const role = Number.isSafeInteger(appId) ? await memberRole(db, appId, actor.accountId) : undefined;
      return authorize(role, action);
    },
  };
}
