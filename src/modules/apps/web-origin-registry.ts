/**
 * The registry questions CORS asks (Fetch Standard §3.2 "CORS protocol"); which origin belongs to
 * which app is decided by web-origins.ts alone.
 *
 * - `findAppByClientId`: the app behind a `client_id` or an access token's client. Kakao accepts
 *   the REST API key and the JavaScript key (Kakao JavaScript SDK) there; two indexed lookups by
 *   the unique key at most.
 * - `isLoginWebOrigin`: is an origin a registered Web domain of any app with Kakao Login on? A
 *   preflight carries no credentials and no body (Fetch Standard §3.2.2: no `Authorization`, no
 *   `client_id`), so this is all a preflight can be checked against.
 *
 * `isLoginWebOrigin` reads a snapshot, not one query per preflight: `javascript_origins` is a JSON
 * list in a text column, which neither SQLite nor PostgreSQL can index element by element, so a
 * query per preflight would scan `apps`, and any page on the web can send preflights with made-up
 * origins. The snapshot is bounded by the registry (at most 10 origins per app, apps.validation.ts
 * `parseOrigins`), costs one scan per `SNAPSHOT_TTL_MS` whatever the traffic, and is kept per
 * database handle, so every test app and every process reads its own. A new origin is seen by
 * preflights within `SNAPSHOT_TTL_MS`; the actual response is always checked against the app's
 * current row (`findAppByClientId`).
 */
import { performance } from 'node:perf_hooks';
import type { Executor } from './apps.repo.ts';
import { findAppByKey } from './apps.repo.ts';
import type { AppRow } from './apps.types.ts';
import { normaliseOrigin, webOriginsOf } from './web-origins.ts';

/** Kakao's `client_id` is the REST API key or the JavaScript key (never native or admin). */
const CLIENT_ID_KINDS = ['rest_api', 'javascript'] as const;

/** The app whose REST API or JavaScript key is `clientId`; undefined for any other string. */
export async function findAppByClientId(db: Executor, clientId: string): Promise<AppRow | undefined> {
  if (!clientId || clientId.length > 200) return undefined;
  for (const kind of CLIENT_ID_KINDS) {
    const app = await findAppByKey(db, clientId, kind);
    if (app) return app;
  }
  return undefined;
}

/** How long a preflight may answer from a snapshot of the registered origins. */
export const SNAPSHOT_TTL_MS = 10_000;

interface Snapshot {
  origins: Set<string>;
  loadedAt: number;
}

const snapshots = new WeakMap<Executor, Snapshot>();
const loading = new WeakMap<Executor, Promise<Snapshot>>();

async function loadSnapshot(db: Executor): Promise<Snapshot> {
  const rows = await db
    .selectFrom('apps')
    .select('javascript_origins')
    .where('kakao_login_enabled', '=', 1)
    .where('javascript_origins', '<>', '[]')
    .execute();
  const origins = new Set<string>();
  for (const row of rows) {
    for (const registered of webOriginsOf(row)) {
      const origin = normaliseOrigin(registered);
      if (origin) origins.add(origin);
    }
  }
  const snapshot = { origins, loadedAt: performance.now() };
  snapshots.set(db, snapshot);
  return snapshot;
}

/** The current snapshot; concurrent callers share one load. */
async function snapshotOf(db: Executor): Promise<Snapshot> {
  const current = snapshots.get(db);
  if (current && performance.now() - current.loadedAt < SNAPSHOT_TTL_MS) return current;
  let pending = loading.get(db);
  if (!pending) {
    pending = loadSnapshot(db).finally(() => loading.delete(db));
    loading.set(db, pending);
  }
  return pending;
}

/** Is `origin` (an `Origin` header) a registered Web domain of some app with Kakao Login on? */
export async function isLoginWebOrigin(db: Executor, origin: string): Promise<boolean> {
  const wanted = normaliseOrigin(origin);
  if (!wanted) return false;
  return (await snapshotOf(db)).origins.has(wanted);
}
