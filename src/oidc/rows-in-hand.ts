/**
 * Rows a caller has already read, handed to oidc-provider's `find` through the adapter
 * (kysely-adapter.ts). Kept apart from the adapter so that a route helper can hand a row over
 * without importing a repository (src/kakao/kakao-auth.ts).
 */
import { storedKey } from './payload-at-rest.ts';

/**
 * Rows a caller has already read, in a statement of its own that joins more than the adapter's
 * (src/kakao/user-me-reads.ts: the access token with its app, link and consents), handed to
 * oidc-provider's `find` so that it still verifies the payload itself (lib/models/base_model.js
 * `find`: `verify`, then `instantiate`) without reading the row a second time. Keyed by model and
 * stored key, taken by the first `find` of that value and dropped when the call returns.
 */
const readsInHand = new Map<string, { payload: string; consumed_at: number | null }>();

/** `find()` (e.g. `provider.AccessToken.find(value)`) answered from `row`, read live just before. */
export async function findWithRowInHand<T>(
  model: string,
  value: string,
  row: { payload: string; consumed_at: number | null },
  find: () => Promise<T>,
): Promise<T> {
  const key = `${model}\u0000${storedKey(value)}`;
  readsInHand.set(key, row);
  try {
    return await find();
  } finally {
    readsInHand.delete(key);
  }
}

export function takeRowInHand(
  model: string,
  id: string,
): { payload: string; consumed_at: number | null } | undefined {
  if (readsInHand.size === 0) return undefined;
  const key = `${model}\u0000${storedKey(id)}`;
  const row = readsInHand.get(key);
  if (row) readsInHand.delete(key);
  return row;
}
