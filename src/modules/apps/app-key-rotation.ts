/**
 * Reissuing an app key with an overlap. The REST API, JavaScript and admin keys can be reissued
 * (Kakao Developers "Reissue app key"): a new key of that kind is created and the key it replaces
 * keeps working until the overlap ends (at once, 1 hour, 24 hours or 7 days), then stops everywhere
 * at the same moment, because every key lookup checks `expires_at` against the clock
 * (apps.repo.ts findAppByKey, src/oidc/clients.ts, src/kakao/user-me-reads.ts). "Stop now" ends an
 * overlap early. Connections, app user ids and consents belong to the app, not to a key, so a
 * person stays linked through a rotation; only codes and tokens issued to a stopped REST API or
 * JavaScript key (its own OAuth client) stop with it.
 *
 * The console, the JSON API and the CLI all call these functions; owners and admins may reissue
 * and stop keys (apps.policy.ts 'update'), members may only list them.
 */
import { AppError, validationError } from '../../errors/catalogue.ts';
import { keyringOf, open } from '../../lib/encryption.ts';
import { newId } from '../../lib/ids.ts';
import { newAppKey, storedAppKey } from './app-credentials.ts';
import {
  MAX_WORKING_KEYS_PER_KIND,
  type PreviousKey,
  parseRotation,
  type RotatableKeyKind,
  type RotatedKey,
  type RotationInput,
  type WorkingKey,
} from './app-keys.types.ts';
import type { AppsContext } from './apps.context.ts';
import { permissionsOf } from './apps.policy.ts';
import * as repo from './apps.repo.ts';
import type { Actor, AppDetail, AppKeyKind } from './apps.types.ts';

type StoredKey = Awaited<ReturnType<typeof repo.liveKeys>>[number];

function working(keys: StoredKey[], now: number): StoredKey[] {
  return keys.filter((k) => k.expires_at === null || k.expires_at > now);
}

/**
 * The keys part of the console's view of an app (apps.service.ts getAppDetail): the current key of
 * each kind, the current admin keys, and the replaced keys still in their overlap, soonest to stop
 * first. `reveal` opens a sealed admin key, or hides it (null) from roles without `see_secrets`.
 */
export function keysOfDetail(
  keys: StoredKey[],
  now: number,
  reveal: (sealed: string) => string | null,
): AppDetail['keys'] {
  const live = working(keys, now);
  const current = (kind: AppKeyKind) => live.find((k) => k.kind === kind && k.expires_at === null)?.key ?? '';
  const previous: PreviousKey[] = live
    .filter((k) => k.expires_at !== null && k.kind !== 'native')
    .map((k) => ({
      id: k.id,
      kind: k.kind as RotatableKeyKind,
      key: k.kind === 'admin' ? reveal(k.key) : k.key,
      created_at: k.created_at,
      expires_at: k.expires_at as number,
    }))
    .sort((a, b) => a.expires_at - b.expires_at);
  return {
    rest_api: current('rest_api'),
    javascript: current('javascript'),
    native: current('native'),
    admin: live
      .filter((k) => k.kind === 'admin' && k.expires_at === null)
      .map((k) => ({ id: k.id, key: reveal(k.key), created_at: k.created_at })),
    previous,
  };
}

export function createKeyRotationService(ctx: AppsContext) {
  const { db, clock } = ctx;

  /**
   * A new key of `kind`; every working key of that kind it replaces keeps working until the end of
   * the overlap (a key already in an earlier overlap keeps the sooner of its end and this one).
   * @throws AppError('validation_failed' | 'app_key_rotation_limit' | 'not_found' | 'forbidden')
   */
  async function rotateAppKey(actor: Actor, appId: number, input: RotationInput): Promise<RotatedKey> {
    await ctx.access(actor, appId, 'update');
    const { value, issues } = parseRotation(input);
    if (!value) throw validationError(issues);
    const { kind, overlapMs } = value;
    const now = clock.now();
    const until = now + overlapMs;
    const created = { id: newId('key_'), key: newAppKey() };
    let created_at = now;
    await db.transaction().execute(async (trx) => {
      // Writing the app row first takes its row lock (PostgreSQL) or the write lock (SQLite), so two
      // reissues of one app run one after the other and never both leave a "current" key.
      await repo.updateAppRow(trx, appId, { updated_at: now });
      await repo.sweepExpiredKeys(trx, appId, now);
      const replaced = working(await repo.liveKeys(trx, appId), now).filter((k) => k.kind === kind);
      if (overlapMs > 0 && replaced.length + 1 > MAX_WORKING_KEYS_PER_KIND)
        throw new AppError('app_key_rotation_limit', { params: { max: MAX_WORKING_KEYS_PER_KIND } });
      for (const key of replaced) {
        if (overlapMs === 0) await repo.revokeKey(trx, appId, key.id, now);
        else await repo.setKeyExpiry(trx, appId, key.id, Math.min(key.expires_at ?? until, until));
      }
      // Strictly newer than the keys it replaces: "newest current key first" never ties.
      created_at = Math.max(now, ...replaced.map((k) => k.created_at + 1));
      await repo.insertKey(trx, {
        id: created.id,
        ...storedAppKey(keyringOf(db), kind, created.key),
        app_id: appId,
        kind,
        created_at,
      });
    });
    return { id: created.id, kind, key: created.key, created_at, previous_expires_at: until };
  }

  /**
   * Ends a replaced key's overlap now. Only a key in its overlap: a current key is replaced by
   * reissuing, never left without a successor.
   * @throws AppError('not_found' | 'forbidden')
   */
  async function stopPreviousKey(actor: Actor, appId: number, keyId: string): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const key = working(await repo.liveKeys(trx, appId), now).find((k) => k.id === keyId);
      if (!key || key.expires_at === null) throw new AppError('not_found');
      await repo.revokeKey(trx, appId, keyId, now);
    });
  }

  /** Every working key, current ones first, then those in an overlap. @throws AppError('not_found') */
  async function listAppKeys(actor: Actor, appId: number): Promise<WorkingKey[]> {
    const role = await ctx.access(actor, appId, 'read');
    const seeSecrets = permissionsOf(role).see_secrets;
    const keyring = keyringOf(db);
    const live = working(await repo.liveKeys(db, appId), clock.now());
    return [...live.filter((k) => k.expires_at === null), ...live.filter((k) => k.expires_at !== null)].map(
      (k) => ({
        id: k.id,
        kind: k.kind as AppKeyKind,
        key: k.kind !== 'admin' ? k.key : seeSecrets ? open(keyring, k.key) : null,
        created_at: k.created_at,
        expires_at: k.expires_at,
      }),
    );
  }

  return { rotateAppKey, stopPreviousKey, listAppKeys };
}
