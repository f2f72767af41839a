/**
 * When a failed notification is tried again (Standard Webhooks 1.0.0, "Retry schedule"). Pure
 * functions, no I/O.
 *
 * - The first attempt is immediate (`next_attempt_at = created_at`); after attempt k fails, the
 *   next waits `schedule[k-1]`. Default: Standard Webhooks' example schedule
 *   5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 20 h, 24 h (≈ 3.5 days, 11 attempts in all);
 *   after the last one the notification is `failed` and can be redelivered by hand.
 * - Jitter spreads retries of many notifications that failed together (an outage) so that they
 *   do not all hit the receiver in the same second: each delay is scaled by a random factor in
 *   [1 − j, 1 + j] (default j = 10 %).
 * - `Retry-After` may only *delay* a retry, never bring it forward: a receiver cannot make yeon
 *   retry faster than the schedule (a `Retry-After: 0` loop), but one that asks for more time
 *   gets it, up to `RETRY_AFTER_CAP_MS` so that a bogus far-future date cannot park a
 *   notification for months. Documented in docs/notifications.md.
 */

/** The longest delay a `Retry-After` can ask for (the schedule's own longest step). */
export const RETRY_AFTER_CAP_MS = 24 * 3_600_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `"5s,5m,30m,2h"` → milliseconds. Units: ms, s, m, h, d. At least one step, at most 30.
 * @throws Error with a readable message (config turns it into a ConfigError naming the variable)
 */
export function parseSchedule(text: string): number[] {
  const steps = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (steps.length === 0 || steps.length > 30) throw new Error('expected 1 to 30 comma-separated durations');
  return steps.map((step) => {
    const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(step);
    if (!m) throw new Error(`"${step}" is not a duration like 5s, 30m, 2h or 1d`);
    const ms = Number(m[1]) * UNITS[m[2]!]!;
    if (ms <= 0 || ms > 30 * 86_400_000) throw new Error(`"${step}" must be between 1ms and 30d`);
    return ms;
  });
}

/**
 * When to try again after `attemptsMade` failed attempts, or `undefined` when they are used up.
 * @param random a number in [0, 1) (injectable so tests can pin the jitter)
 */
export function nextAttemptAt(input: {
  now: number;
  attemptsMade: number;
  schedule: readonly number[];
  jitter: number;
  retryAfterMs?: number;
  random?: () => number;
}): number | undefined {
  const base = input.schedule[input.attemptsMade - 1];
  if (base === undefined) return undefined;
  const r = (input.random ?? Math.random)();
  const jittered = Math.round(base * (1 + input.jitter * (2 * r - 1)));
  const asked = Math.min(input.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS);
  return input.now + Math.max(jittered, asked, 1);
}
