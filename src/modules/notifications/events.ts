/**
 * The events an app can receive at its callback URL, named `<entity>.<past-tense verb>` in one
 * public catalogue (apps rely on it, so it is public API). Thin payloads: ids and scope names only
 * (Standard Webhooks 1.0.0).
 *
 * - `user.unlinked`: always sent to an app with a callback (Kakao format by default).
 * - `user.linked`, `user.scope_withdrawn`: opt-in, JSON format only, since Kakao receivers
 *   know only the unlink callback.
 */
export const OPTIONAL_EVENTS = ['user.linked', 'user.scope_withdrawn'] as const;
export type OptionalEvent = (typeof OPTIONAL_EVENTS)[number];

/** The optional events an app row subscribes to: none unless its callback format is JSON. */
export function subscribedEventsOf(app: {
  notify_events: string | null;
  unlink_format: string;
}): OptionalEvent[] {
  if (app.unlink_format !== 'json' || !app.notify_events) return [];
  try {
    const list = JSON.parse(app.notify_events) as unknown;
    return Array.isArray(list) ? OPTIONAL_EVENTS.filter((e) => list.includes(e)) : [];
  } catch {
    return [];
  }
}
