/**
 * `yeon worker`: the notification dispatcher alone, for operators who run delivery
 * apart from the web servers (then `YEON_DISPATCHER=off` on `yeon serve`). Any number of workers
 * may share a database. SIGTERM/SIGINT stop claiming and let deliveries in flight finish.
 * `--once` claims once, waits for those deliveries, prints a JSON summary and exits.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { resolveKeyring } from '../config/secrets.ts';
import { CONNECTION_LOST, createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { bindKeyring } from '../lib/encryption.ts';
import { configuredDispatcher, configuredMailDispatcher, jsonLogger } from '../worker.ts';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('deliver unlink notifications (the dispatcher without the web server)')
    .option('--once', 'claim due notifications once, deliver them, print a summary and exit')
    .action(async (opts: { once?: boolean }) => {
      const config = loadConfig(process.env);
      const logger = jsonLogger(config.logLevel);
      const { keyring } = resolveKeyring(config);
      const db = createDb(config.database, (err) => logger.warn({ err }, CONNECTION_LOST));
      // Deliveries open the app's admin key and signing secrets (src/lib/encryption.ts).
      bindKeyring(db, keyring);
      await migrateToLatest(db);
      const dispatcher = configuredDispatcher(config, db, logger);
      // Mail queued by any instance leaves from here too (absent without YEON_SMTP_URL).
      const mailDispatcher = configuredMailDispatcher(config, db, logger);
      if (opts.once) {
        try {
          const [notifications, mail] = await Promise.all([dispatcher.tick(), mailDispatcher?.tick()]);
          process.stdout.write(`${JSON.stringify({ ...notifications, ...(mail ? { mail } : {}) })}\n`);
          await mailDispatcher?.stop();
        } finally {
          await db.destroy();
        }
        return;
      }
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(1);
        stopping = true;
        logger.info({ signal }, 'worker stopping');
        Promise.all([dispatcher.stop(), mailDispatcher?.stop()])
          .then(() => db.destroy())
          .then(
            () => process.exit(0),
            (err: unknown) => {
              logger.error({ err }, 'worker shutdown failed');
              process.exit(1);
            },
          );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      dispatcher.start();
      mailDispatcher?.start();
    });
}
