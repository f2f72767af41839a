/**
 * The process around the app: load config, open the database, migrate, listen, run background
 * housekeeping, and shut down gracefully on SIGTERM/SIGINT (finish in-flight requests, close the pool).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { assertProductionSetup, type Config, ConfigError, loadConfig } from './config/load-config.ts';
import { resolveSecrets } from './config/secrets.ts';
import { CONNECTION_LOST, createDb, type Db } from './db/create-db.ts';
import { migrateToLatest } from './db/migrate.ts';
import { sealWithCurrentKey } from './db/secrets-at-rest.ts';
import { purgeDeletedApps } from './modules/apps/app-deletion.ts';
import { findPlainHttpAppUrls, plainHttpRefusal } from './modules/apps/production-urls.ts';
import { type DevMailbox, startDevMailbox } from './modules/mail/dev-mailbox.ts';
import { purgeSentMail } from './modules/mail/mail-delivery.repo.ts';
import type { MailDispatcher } from './modules/mail/mail-dispatcher.ts';
import type { Dispatcher } from './modules/notifications/dispatcher.ts';
import { purgeExpiredOidcPayloads } from './oidc/kysely-adapter.ts';
import { purgeRefreshReplays } from './oidc/refresh-grace.ts';
import { configuredDispatcher, configuredMailDispatcher } from './worker.ts';

export interface RunningServer {
  app: FastifyInstance;
  config: Config;
  db: Db;
  url: string;
  /** the notification dispatcher, unless YEON_DISPATCHER=off */
  dispatcher?: Dispatcher;
  /** the mail dispatcher, unless YEON_DISPATCHER=off (always with the development mailbox) */
  mailDispatcher?: MailDispatcher;
  /** outside production without YEON_SMTP_URL: the mailbox shown at /dev/mailbox */
  devMailbox?: DevMailbox;
  close(): Promise<void>;
}

const HOUSEKEEPING_MS = 10 * 60_000;
const SHUTDOWN_GRACE_MS = 10_000;

export async function startServer(
  env: Record<string, string | undefined> = process.env,
): Promise<RunningServer> {
  const config = loadConfig(env);
  const secrets = resolveSecrets(config);
  assertProductionSetup(config);
  // The app's logger exists only after buildApp; a loss before that has nothing to log to.
  let logLost = (_err: Error) => {};
  const db = createDb(config.database, (err) => logLost(err));
  await migrateToLatest(db);
  // Production never starts with an app URL it would refuse as typed: one line names the app.
  const plainHttp =
    config.env === 'production'
      ? plainHttpRefusal(await findPlainHttpAppUrls(db, { loopbackCallbacks: config.loopbackMeasurement }))
      : undefined;
  if (plainHttp) {
    await db.destroy();
    throw new ConfigError('YEON_ENV', plainHttp);
  }
  // Secrets written before encryption at rest (or under a decrypt-only key) are sealed now, in
  // one transaction, so an upgrade needs no manual step (src/db/secrets-at-rest.ts).
  await sealWithCurrentKey(db, secrets.keyring);
  // Without an SMTP server outside production, mail is caught on loopback and shown at /dev/mailbox
  // (production refuses to start without YEON_SMTP_URL, in assertProductionSetup).
  const devMailbox =
    !config.mail.smtpUrl && config.env !== 'production'
      ? await startDevMailbox({ dataDir: config.dataDir })
      : undefined;
  const app = await buildApp({ config, secrets, db, devMailbox });
  logLost = (err) => app.log.warn({ err }, CONNECTION_LOST);
  if (secrets.generated) {
    app.log.warn(
      `using generated development secrets from ${config.dataDir}/secrets.json; set YEON_COOKIE_SECRET and YEON_ENCRYPTION_KEY in production`,
    );
  }
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  const housekeeping = setInterval(() => {
    Promise.all([
      app.services.sessions.purgeExpired(),
      app.services.throttle.purgeExpired(),
      app.services.recoveryLimits.purgeExpired(),
      purgeExpiredOidcPayloads(db, Date.now()),
      purgeRefreshReplays(db, Date.now()),
      purgeSentMail(db, Date.now()),
      purgeDeletedApps(db, Date.now()),
    ]).catch((err) => app.log.warn({ err }, 'housekeeping failed'));
  }, HOUSEKEEPING_MS);
  housekeeping.unref();

  // Notification delivery runs here unless operators run separate `yeon worker`s.
  const dispatcher = config.notify.inServe ? configuredDispatcher(config, db, app.log) : undefined;
  dispatcher?.start();
  // An outbox row committed by this process is claimed at once, not at the next poll.
  const unsubscribe = dispatcher ? app.services.outboxSignal.subscribe(dispatcher.poke) : undefined;
  // Mail too; the development mailbox is known only to this process, so its sender runs here.
  const mailDispatcher =
    config.notify.inServe || devMailbox
      ? configuredMailDispatcher(config, db, app.log, devMailbox?.smtpUrl ?? config.mail.smtpUrl)
      : undefined;
  mailDispatcher?.start();
  const unsubscribeMail = mailDispatcher ? app.services.mailSignal.subscribe(mailDispatcher.poke) : undefined;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(housekeeping);
      unsubscribe?.();
      unsubscribeMail?.();
      // Stop claiming and let deliveries in flight record their result before the pool closes.
      await Promise.all([app.close(), dispatcher?.stop(), mailDispatcher?.stop()]);
      await Promise.all([db.destroy(), devMailbox?.close()]);
    })();
    return closing;
  };
  return { app, config, db, url: `http://localhost:${port}`, dispatcher, mailDispatcher, devMailbox, close };
}

/** SIGTERM/SIGINT: stop accepting, drain, close; a second signal or the grace timeout forces exit. */
export function closeOnSignals(server: RunningServer): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
