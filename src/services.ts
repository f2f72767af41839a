/**
 * The composition root for domain services: built once per app from config, database and clock.
 * Routes, the CLI and tests reach domain code only through this object.
 */
import type { Config } from './config/load-config.ts';
import type { Secrets } from './config/secrets.ts';
import type { Db, DbKind } from './db/create-db.ts';
import { createKakaoUsersService } from './kakao/kakao-users.service.ts';
import type { Clock } from './lib/clock.ts';
import { bindKeyring } from './lib/encryption.ts';
import { createAccountsService } from './modules/accounts/accounts.service.ts';
import { createEmailVerificationService } from './modules/accounts/email-verification.service.ts';
import { createLoginThrottle } from './modules/accounts/login-throttle.ts';
import { createPasswordHasher } from './modules/accounts/password.ts';
import { createPasswordRecoveryService } from './modules/accounts/password-recovery.service.ts';
import { createProfilePicturesService } from './modules/accounts/profile-pictures.service.ts';
import { createRecoveryLimits } from './modules/accounts/recovery-limits.ts';
import { bindKeyClock } from './modules/apps/app-key-clock.ts';
import { createTestNotifier } from './modules/apps/apps.notify.ts';
import { createAppsService } from './modules/apps/apps.service.ts';
import { appsPort } from './modules/connections/apps.adapter.ts';
import { createConnectedServicesService } from './modules/connections/connected-services.service.ts';
import { createConnectionsService } from './modules/connections/connections.service.ts';
import { createConsentService } from './modules/connections/consent.service.ts';
import { createDeveloperTokensService } from './modules/developer-tokens/developer-tokens.service.ts';
import { createNotificationsService } from './modules/notifications/notifications.service.ts';
import { createOutboxSignal } from './modules/notifications/outbox-signal.ts';
import { createReceiptsService } from './modules/notifications/receipt-links.ts';
import { checkDestination } from './modules/outbound/ssrf-guard.ts';
import { createSecurityService } from './modules/security/security.service.ts';
import { createSessionService } from './modules/sessions/sessions.service.ts';
import { oidcGrantRevoker } from './oidc/connection-revoker.ts';

export interface ServiceDeps {
  config: Config;
  secrets: Secrets;
  db: Db;
  dbKind: DbKind;
  clock: Clock;
}

export function createServices(deps: ServiceDeps) {
  const { config, db, clock } = deps;
  // Secret columns of this database open with this process's key (src/lib/encryption.ts).
  bindKeyring(db, deps.secrets.keyring);
  bindKeyClock(db, clock);
  const hasher = createPasswordHasher(config.passwordHashConcurrency);
  const throttle = createLoginThrottle(db, clock, config.login);
  const sessions = createSessionService(db, clock, {
    ttlMs: config.sessionTtlMs,
    rememberMs: config.sessionRememberMs,
  });
  // Account mail (confirmation and recovery links) wakes the mail sender declared below.
  const links = {
    issuer: config.issuer,
    defaultLocale: config.defaultLocale,
    mailCommitted: () => mailSignal.committed(),
  };
  const accounts = createAccountsService({ db, clock, hasher, throttle, links });
  const profilePictures = createProfilePicturesService({ db, clock, issuer: config.issuer });
  const recoveryLimits = createRecoveryLimits(db, clock);
  const recoveryDeps = { db, clock, hasher, throttle, limits: recoveryLimits, links };
  const emailVerification = createEmailVerificationService(recoveryDeps);
  const passwordRecovery = createPasswordRecoveryService(recoveryDeps);
  // The Security page's read model; ending sessions and forgetting devices is `sessions`'.
  const security = createSecurityService(db, clock);
  const apps = createAppsService({
    db,
    clock,
    outboundAllow: config.outboundAllow,
    webhookSecretOverlapMs: config.webhookSecretOverlapMs,
    testNotificationCooldownMs: config.abuse.testNotificationCooldownMs,
    environment: config.env,
    loopbackMeasurement: config.loopbackMeasurement,
    checkDestination,
    // Deleting an app ends its links first, each notified in that transaction (app-deletion.ts).
    unlinkWithin: (trx, input) => connections.unlinkWithin(trx, input),
    outboxCommitted: () => outboxSignal.committed(),
    sendTestNotification: createTestNotifier({ outboundAllow: config.outboundAllow, now: clock.now, db }),
  });
  const developerTokens = createDeveloperTokensService(db, clock);
  // Outbox rows committed here wake this process's dispatcher at once (server.ts).
  const outboxSignal = createOutboxSignal();
  // Mail queued by a service (modules/mail/mail-outbox.ts) wakes this process's mail sender.
  const mailSignal = createOutboxSignal();
  const notifications = createNotificationsService({
    db,
    clock,
    outboxCommitted: outboxSignal.committed,
    retry: { schedule: config.notify.schedule, jitter: config.notify.jitter },
  });
  const connections = createConnectionsService({
    db,
    clock,
    apps: appsPort,
    revoker: oidcGrantRevoker,
    outboxCommitted: outboxSignal.committed,
  });
  const kakaoUsers = createKakaoUsersService({ db, clock, connections });
  const connectedServices = createConnectedServicesService({ db, clock, connections });
  // Receipts after an unlink: what the person sees of the outbox, and the links that open it.
  const receipts = createReceiptsService({ db, clock });
  const consent = createConsentService({ db, connections });
  return {
    ...deps,
    hasher,
    throttle,
    sessions,
    security,
    accounts,
    profilePictures,
    emailVerification,
    passwordRecovery,
    recoveryLimits,
    apps,
    developerTokens,
    connections,
    connectedServices,
    receipts,
    consent,
    kakaoUsers,
    notifications,
    outboxSignal,
    mailSignal,
  };
}

export type Services = ReturnType<typeof createServices>;
