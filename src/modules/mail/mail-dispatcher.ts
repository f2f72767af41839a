/**
 * The mail dispatcher: claims due rows of the mail outbox under a lease, renders each in its
 * language, hands it to the SMTP server, and marks it sent, reschedules it (mail-retry.ts) or
 * keeps it as failed with its error. Runs inside `yeon serve` and `yeon worker`; any number of
 * dispatchers may share one database.
 *
 * Guarantees:
 * - at-least-once: a row leaves `pending` only after the SMTP server accepted it (a 250 to DATA)
 *   or after its last attempt; a dispatcher killed mid-send leaves its rows leased, and they are
 *   due again once the lease (longer than the SMTP timeouts below) runs out.
 * - no two live dispatchers send the same row: the claim leases it (mail-delivery.repo.ts).
 * - every attempt carries the same `Message-ID` (`<row id@issuer host>`, RFC 5322 §3.6.4), so
 *   the rare resend after a crash between the server's 250 and our record is recognisable as
 *   the same message.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { DbKind } from '../../db/create-db.ts';
import type { Database } from '../../db/database.ts';
import { isLocale } from '../../i18n/locale.ts';
import type { Clock } from '../../lib/clock.ts';
import * as repo from './mail-delivery.repo.ts';
import { describeFailure, nextMailAttemptAt, type SmtpFailure } from './mail-retry.ts';
import { smtpTransportOptions } from './smtp-options.ts';
import { renderMail } from './templates.ts';

export interface MailDispatcherLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MailDispatcherDeps {
  db: Kysely<Database>;
  dbKind: DbKind;
  clock: Clock;
  /** `smtp://…` or `smtps://…` (config YEON_SMTP_URL, or the development mailbox) */
  smtpUrl: string;
  /** the `From` header (config YEON_MAIL_FROM) */
  from: string;
  platformName: string;
  issuer: string;
  /** how often to look for due mail when not woken (config YEON_NOTIFY_POLL_MS) */
  pollMs: number;
  logger?: MailDispatcherLogger;
  /** jitter source; tests pin it */
  random?: () => number;
  owner?: string;
}

/** Mails in flight at once per dispatcher: SMTP servers throttle parallel connections per client. */
const CONCURRENCY = 4;
/** Longer than one attempt can take (smtp-options.ts bounds every SMTP step). */
const LEASE_MS = 5 * 60_000;

const silent: MailDispatcherLogger = { info() {}, warn() {}, error() {} };

export function createMailDispatcher(deps: MailDispatcherDeps) {
  const { db, dbKind, clock } = deps;
  const log = deps.logger ?? silent;
  const owner = deps.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  // nodemailer is loaded with the first mail, not at start: most minutes of a server send none.
  let transport: Promise<Transporter> | undefined;
  function openTransport(): Promise<Transporter> {
    transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(smtpTransportOptions(deps.smtpUrl)),
    );
    return transport;
  }
  const messageIdHost = new URL(deps.issuer).hostname;
  const ctx = { platformName: deps.platformName, issuer: deps.issuer };
  const inFlight = new Set<Promise<unknown>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let poked = false;

  /** @throws a permanent failure when the row cannot be rendered: retrying would not help */
  function render(row: repo.MailRow) {
    const locale = isLocale(row.locale) ? row.locale : 'en';
    try {
      return { locale, ...renderMail(row.kind, locale, JSON.parse(row.params), ctx) };
    } catch (err) {
      throw Object.assign(new Error(`render_error: ${(err as Error).message}`), { permanent: true });
    }
  }

  async function send(row: repo.MailRow): Promise<void> {
    const { locale, ...mail } = render(row);
    await (await openTransport()).sendMail({
      from: deps.from,
      to: row.to_address,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: `<${row.id}@${messageIdHost}>`,
      date: new Date(Number(row.created_at)),
      // RFC 3834 §5: an automatic message, so auto-responders do not answer it.
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
    });
  }

  async function deliver(row: repo.MailRow): Promise<'sent' | 'retry' | 'failed'> {
    try {
      await send(row);
    } catch (raw) {
      const err = raw as SmtpFailure;
      const now = clock.now();
      const nextAttemptAt = nextMailAttemptAt({
        now,
        attemptsMade: row.attempts + 1,
        err,
        random: deps.random,
      });
      const error = describeFailure(err);
      await repo.markMailAttemptFailed(db, { id: row.id, owner, now, error, nextAttemptAt });
      if (nextAttemptAt === undefined)
        log.error({ mailId: row.id, kind: row.kind, error }, 'mail given up on; kept as failed');
      else log.warn({ mailId: row.id, kind: row.kind, error }, 'mail not sent; it will be retried');
      return nextAttemptAt === undefined ? 'failed' : 'retry';
    }
    await repo.markMailSent(db, row.id, clock.now());
    return 'sent';
  }

  function launch(row: repo.MailRow) {
    const p = deliver(row).catch((err: unknown) => {
      log.error({ err, mailId: row.id }, 'mail attempt could not be recorded; retried after the lease');
      return 'retry' as const;
    });
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      wake?.();
    });
    return p;
  }

  async function claimAndLaunch() {
    const rows = await repo.claimDueMail(db, dbKind, {
      now: clock.now(),
      owner,
      leaseMs: LEASE_MS,
      limit: CONCURRENCY - inFlight.size,
    });
    return rows.map(launch);
  }

  function sleep(ms: number): Promise<void> {
    if (poked) return Promise.resolve();
    return new Promise((resolve) => {
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      timer = setTimeout(wake, ms);
    });
  }

  async function run(): Promise<void> {
    while (running) {
      poked = false;
      try {
        await claimAndLaunch();
      } catch (err) {
        log.error({ err }, 'claiming mail failed');
      }
      if (!running) break;
      await sleep(deps.pollMs);
    }
  }

  return {
    owner,
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Stops claiming, then waits for the mails in flight (each bounded by the SMTP timeouts). */
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
      await Promise.allSettled([...inFlight]);
      (await transport)?.close();
    },
    /** One claim, then wait for exactly those mails (tests, `yeon worker --once`). */
    async tick(): Promise<{ claimed: number; sent: number; retried: number; failed: number }> {
      const kinds = await Promise.all(await claimAndLaunch());
      const count = (k: string) => kinds.filter((x) => x === k).length;
      return { claimed: kinds.length, sent: count('sent'), retried: count('retry'), failed: count('failed') };
    },
    /** Claim now: mail was committed in this process (services.mailSignal). */
    poke(): void {
      poked = true;
      wake?.();
    },
  };
}

export type MailDispatcher = ReturnType<typeof createMailDispatcher>;
