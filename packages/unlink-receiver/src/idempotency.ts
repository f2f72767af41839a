/**
 * Deduplication on `webhook-id`. yeon delivers at least once (a crash between the receiver's 200
 * and yeon recording it means a second delivery with the same id), so a receiver remembers the
 * ids it has processed for longer than the retry schedule (about 3 days; default here 7 days).
 *
 * The in-memory store suits one process; for several, implement `IdempotencyStore` over your
 * database (a table with a unique `webhook_id` column, or Redis `SET id 1 NX EX 604800`).
 */
export interface IdempotencyStore {
  seen(id: string): boolean | Promise<boolean>;
  remember(id: string): void | Promise<void>;
}

export function createIdempotencyStore(
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): IdempotencyStore & { size(): number } {
  const ttlMs = options.ttlMs ?? 7 * 86_400_000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  // Insertion order = expiry order (same ttl for all), so the oldest entries are first.
  const expiries = new Map<string, number>();

  const sweep = () => {
    const t = now();
    for (const [id, until] of expiries) {
      if (until > t && expiries.size <= maxEntries) break;
      expiries.delete(id);
    }
  };

  return {
    seen(id) {
      const until = expiries.get(id);
      if (until === undefined) return false;
      if (until <= now()) {
        expiries.delete(id);
        return false;
      }
      return true;
    },
    remember(id) {
      expiries.delete(id);
      expiries.set(id, now() + ttlMs);
      sweep();
    },
    size: () => expiries.size,
  };
}
