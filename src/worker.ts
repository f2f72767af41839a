/**
 * The notification dispatcher as a process runs it: inside `yeon serve`
 * (server.ts, unless `YEON_DISPATCHER=off`) and alone as `yeon worker` (cli/worker.commands.ts).
 * Real clock; outbound rules (SSRF allow-list, timeout, source address) from the configuration.
 */
import type { Config } from './config/load-config.ts';
import type { Db } from './db/create-db.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { createMailDispatcher } from './modules/mail/mail-dispatcher.ts';
import { createDispatcher, type DispatcherLogger } from './modules/notifications/dispatcher.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** JSON log lines on stdout in the server's shape (numeric level, time, msg), for `yeon worker`. */
export function jsonLogger(level: string): DispatcherLogger {
  const min = LEVELS.indexOf(level);
  const write = (name: 'info' | 'warn' | 'error', numeric: number) => (obj: object, msg?: string) => {
    if (LEVELS.indexOf(name) < min) return;
    const fields = Object.fromEntries(
      Object.entries(obj).map(([k, v]) => [
        k,
        v instanceof Error ? { message: v.message, stack: v.stack } : v,
      ]),
    );
    process.stdout.write(
      `${JSON.stringify({ level: numeric, time: Date.now(), name: 'yeon-worker', ...fields, msg })}\n`,
    );
  };
  return { info: write('info', 30), warn: write('warn', 40), error: write('error', 50) };
}

export function configuredDispatcher(
  config: Config,
  db: Db,
  logger: DispatcherLogger,
  clock: Clock = systemClock,
) {
  return createDispatcher({
    db,
    dbKind: config.database.kind,
    clock,
    config: config.notify,
    outbound: {
      policy: { allow: config.outboundAllow },
      timeoutMs: config.callbackTimeoutMs,
      localAddress: config.outboundLocalAddress,
    },
    logger,
  });
}

/**
 * The mail dispatcher (modules/mail/mail-dispatcher.ts), next to the notification dispatcher in
 * `yeon serve` and `yeon worker`. `smtpUrl` overrides the configuration (the development mailbox);
 * with neither there is nowhere to send, and mail waits in the outbox for a process that has one.
 */
export function configuredMailDispatcher(
  config: Config,
  db: Db,
  logger: DispatcherLogger,
  smtpUrl = config.mail.smtpUrl,
  clock: Clock = systemClock,
) {
  if (!smtpUrl) return undefined;
  return createMailDispatcher({
    db,
    dbKind: config.database.kind,
    clock,
    smtpUrl,
    from: config.mail.from,
    platformName: config.platformName,
    issuer: config.issuer,
    pollMs: config.notify.pollMs,
    logger,
  });
}
