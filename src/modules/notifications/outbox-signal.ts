/**
 * "Outbox rows were committed in this process" (so an unlink's callback leaves within milliseconds,
 * not at the next poll). A service that writes or re-queues outbox rows calls `committed()` right
 * after its transaction COMMITs; the composition root (server.ts) wires it to the in-process
 * dispatcher's `poke()`, so the row is claimed at once instead of at the next poll
 * (`YEON_NOTIFY_POLL_MS`, 1 s).
 *
 * - Never before COMMIT: a dispatcher woken early finds nothing visible and sleeps a whole poll.
 * - Only this process hears it. Other `yeon serve` instances and `yeon worker`s sharing the
 *   database find the row at their next poll (docs/notifications.md); the poll stays the
 *   guarantee, the signal only shortens the wait. A lost signal costs latency, never a delivery.
 */
export interface OutboxSignal {
  /** Call after a COMMIT that wrote or re-queued outbox rows. Never throws. */
  committed(): void;
  /** @returns the unsubscribe function */
  subscribe(listener: () => void): () => void;
}

export function createOutboxSignal(onListenerError?: (err: unknown) => void): OutboxSignal {
  const listeners = new Set<() => void>();
  return {
    committed() {
      for (const listener of listeners) {
        try {
          listener();
        } catch (err) {
          // The state change already committed; a failing listener must not turn it into an error.
          onListenerError?.(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
