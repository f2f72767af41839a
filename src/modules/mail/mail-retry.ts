/**
 * When a mail that could not be sent is tried again, and when it is given up on. Pure functions.
 *
 * - The first attempt is immediate; after attempt k fails the next waits `MAIL_RETRY_SCHEDULE[k-1]`
 *   (± 10 % jitter, so mail queued during one outage does not hit the server in one second):
 *   30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 6 h, 8 h. That is 10 attempts over about 22 hours,
 *   inside the day a person waits for a password-reset or verification mail before asking again.
 * - After the last attempt the mail is `failed` and kept with its last error; nothing is dropped.
 * - A permanent refusal (an SMTP 5xx reply, RFC 5321 §4.2.1: "the same request … will fail
 *   again") fails at once: retrying a rejected address for a day helps nobody. A 4xx reply, a
 *   refused or broken connection or a timeout is transient and retried.
 */
import { nextAttemptAt } from '../notifications/schedule.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const MAIL_RETRY_SCHEDULE: readonly number[] = [
  30_000,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  6 * HOUR,
  8 * HOUR,
];
const JITTER = 0.1;

/** What nodemailer's errors carry (`responseCode` for an SMTP reply, `code` otherwise). */
export interface SmtpFailure {
  message: string;
  /** set by the dispatcher for a mail that cannot be rendered: no retry can help */
  permanent?: boolean;
  code?: string;
  responseCode?: number;
  response?: string;
}

export function isPermanent(err: SmtpFailure): boolean {
  if (err.permanent) return true;
  return typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600;
}

/** The one line kept on the row: the server's own reply when there was one. */
export function describeFailure(err: SmtpFailure): string {
  const reply = err.response ?? err.message;
  return [err.code, err.responseCode, reply].filter((x) => x !== undefined && x !== '').join(' ');
}

/** @returns when to try again, or undefined when the mail is given up on */
export function nextMailAttemptAt(input: {
  now: number;
  attemptsMade: number;
  err: SmtpFailure;
  random?: () => number;
}): number | undefined {
  if (isPermanent(input.err)) return undefined;
  return nextAttemptAt({
    now: input.now,
    attemptsMade: input.attemptsMade,
    schedule: MAIL_RETRY_SCHEDULE,
    jitter: JITTER,
    random: input.random,
  });
}
