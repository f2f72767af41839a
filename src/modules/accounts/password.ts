/**
 * Password policy and hashing (ASVS V2.1; OWASP Password Storage Cheat Sheet).
 * - at least 8 characters (NIST SP 800-63B §5.1.1.2), at most 256 to bound hashing cost;
 * - not in a list of 10,000 common passwords;
 * - a new password must also score 3 or more on zxcvbn (password-strength.ts);
 * - argon2id with m = 19456 KiB, t = 2, p = 1 (OWASP's first recommended setting);
 * - at most `concurrency` hashes at once, and a short queue beyond that: a burst of logins
 *   cannot take all memory or starve the event loop's thread pool; past the queue → 503.
 *
 * The cap and the cores: hashes run on a pool of worker threads of their own (piscina,
 * argon2-worker.mjs), one thread per hash at once, so a login burst never queues the event loop
 * or libuv's shared thread pool (fs, dns.lookup: the SSRF guard's and PostgreSQL's address
 * lookups). The cap (YEON_PASSWORD_HASH_CONCURRENCY) defaults to the cores the process may use
 * (os.availableParallelism): more hashes at once than cores only share the same CPU and hold
 * 19 MiB each. Threads start with the first hash and stop after a minute without one, so an idle
 * server holds none.
 */

import { Piscina } from 'piscina';
import { AppError, type FieldIssue } from '../../errors/catalogue.ts';
import { isCommonPassword } from './common-passwords.ts';
import { strengthIssues } from './password-strength.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const ARGON2_PARAMS = {
  // 2 = Argon2id in @node-rs/argon2's const enum (not importable under verbatimModuleSyntax).
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function passwordIssues(password: string, field = 'password'): FieldIssue[] {
  if (password.length < PASSWORD_MIN)
    return [{ field, message: 'validation.password_too_short', params: { min: PASSWORD_MIN } }];
  if (password.length > PASSWORD_MAX)
    return [{ field, message: 'validation.password_too_long', params: { max: PASSWORD_MAX } }];
  if (isCommonPassword(password)) return [{ field, message: 'validation.password_common' }];
  return [];
}

/**
 * The whole policy for a password being set (sign-up, reset, change): length and the offline
 * breached list first, then how guessable it is given the person's own email and nickname.
 */
export async function newPasswordIssues(
  password: string,
  personal: Array<string | null | undefined>,
  field = 'password',
): Promise<FieldIssue[]> {
  const basic = passwordIssues(password, field);
  return basic.length ? basic : strengthIssues(password, personal, field);
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** Ends the worker threads once the hashes in hand are done (app close). */
  close(): Promise<void>;
}

/** Counting semaphore with a bounded wait queue (FIFO); past the queue → AppError('server_busy'). */
export function createLimiter(concurrency: number, maxQueue: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active >= concurrency) {
      if (waiting.length >= maxQueue) throw new AppError('server_busy');
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      active++;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** How long an idle hashing thread is kept for the next login before it exits. */
const IDLE_THREAD_MS = 60_000;

export function createPasswordHasher(concurrency: number, maxQueue = concurrency * 32): PasswordHasher {
  const run = createLimiter(concurrency, maxQueue);
  // The limiter above holds the queue (and answers server_busy past it); the pool never queues.
  const pool = new Piscina({
    filename: new URL('./argon2-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: concurrency,
    idleTimeout: IDLE_THREAD_MS,
  });
  return {
    hash: (password) => run(() => pool.run({ password, options: ARGON2_PARAMS }, { name: 'hash' })),
    verify: (hashed, password) =>
      run(() => pool.run({ hashed, password }, { name: 'verify' }).catch(() => false)),
    // Waits for the hashes in hand (a login mid-verify, the shared dummy hash), then ends the threads.
    close: () => pool.close(),
  };
}
