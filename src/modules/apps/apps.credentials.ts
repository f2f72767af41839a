/**
 * Credential lifecycle of an app: admin key rotation (the old key stays valid
 * until revoked), client secret on/off/regenerate, and webhook signing secret rotation with an
 * overlap window during which both secrets sign. Admin keys, client secrets and webhook secrets
 * are stored sealed (src/lib/encryption.ts, OWASP ASVS V6.2.1) and opened only to be used or shown.
 */
import { AppError } from '../../errors/catalogue.ts';
import { keyringOf, open, seal } from '../../lib/encryption.ts';
import { newId } from '../../lib/ids.ts';
import { newAppKey, newClientSecret, newWebhookSecret, storedAppKey } from './app-credentials.ts';
import type { AppsContext } from './apps.context.ts';
import * as repo from './apps.repo.ts';
import { type Actor, LIMITS } from './apps.types.ts';

export function createCredentialsService(ctx: AppsContext) {
  const { db, clock } = ctx;

  /**
   * Adds a new admin key; the existing ones keep working until `revokeAdminKey`, so servers can
   * switch over without downtime. The newest key becomes the primary one.
   * @throws AppError('app_admin_key_limit' | 'not_found' | 'forbidden')
   */
  async function rotateAdminKey(actor: Actor, appId: number): Promise<{ id: string; key: string }> {
    await ctx.access(actor, appId, 'update');
    const created = { id: newId('key_'), key: newAppKey() };
    await db.transaction().execute(async (trx) => {
      const live = (await repo.liveKeys(trx, appId)).filter((k) => k.kind === 'admin');
      if (live.length >= LIMITS.liveAdminKeys)
        throw new AppError('app_admin_key_limit', { params: { max: LIMITS.liveAdminKeys } });
      // Strictly newer than every live key, so "newest = primary" holds within one millisecond too.
      const created_at = Math.max(clock.now(), ...live.map((k) => k.created_at + 1));
      await repo.insertKey(trx, {
        id: created.id,
        ...storedAppKey(keyringOf(db), 'admin', created.key),
        app_id: appId,
        kind: 'admin',
        created_at,
      });
    });
    return created;
  }

  /** @throws AppError('app_last_admin_key' | 'not_found' | 'forbidden') */
  async function revokeAdminKey(actor: Actor, appId: number, keyId: string): Promise<void> {
    await ctx.access(actor, appId, 'update');
    await db.transaction().execute(async (trx) => {
      const live = (await repo.liveKeys(trx, appId)).filter((k) => k.kind === 'admin');
      const target = live.find((k) => k.id === keyId);
      if (!target) throw new AppError('not_found');
      // A key in its reissue overlap is about to stop, so it never counts as the one left.
      const current = live.filter((k) => k.expires_at === null);
      if (target.expires_at === null && current.length === 1) throw new AppError('app_last_admin_key');
      await repo.revokeKey(trx, appId, keyId, clock.now());
    });
  }

  /** Off = public client: any client_secret is accepted (see verifyClientSecret). */
  async function setClientSecretEnabled(actor: Actor, appId: number, enabled: boolean): Promise<void> {
    await ctx.access(actor, appId, 'update');
    await repo.updateAppRow(db, appId, { client_secret_enabled: enabled ? 1 : 0, updated_at: clock.now() });
  }

  /** The old secret stops working at once. @returns the new secret. */
  async function regenerateClientSecret(actor: Actor, appId: number): Promise<string> {
    await ctx.access(actor, appId, 'update');
    const secret = newClientSecret();
    await repo.updateAppRow(db, appId, {
      client_secret: seal(keyringOf(db), secret),
      updated_at: clock.now(),
    });
    return secret;
  }

  /**
   * A new current signing secret; the previous one keeps signing for the overlap window
   * (default 24 h), so receivers can deploy the new secret before the old one stops.
   * @returns the new secret and when the previous one expires.
   */
  async function rotateWebhookSecret(
    actor: Actor,
    appId: number,
  ): Promise<{ id: string; secret: string; previous_expires_at: number }> {
    await ctx.access(actor, appId, 'update');
    const now = clock.now();
    const secret = newWebhookSecret();
    const row = { id: newId('whs_'), app_id: appId, secret: seal(keyringOf(db), secret), created_at: now };
    const until = now + ctx.webhookSecretOverlapMs;
    await db.transaction().execute(async (trx) => {
      const live = await repo.liveWebhookSecrets(trx, appId, now);
      // Strictly newer than the others, so the order of signing secrets never ties.
      row.created_at = Math.max(now, ...live.map((s) => s.created_at + 1));
      await repo.retireWebhookSecrets(trx, appId, now, until);
      await repo.insertWebhookSecret(trx, row);
    });
    return { id: row.id, secret, previous_expires_at: until };
  }

  // ---- lookups without an actor (notifier) -------------------------------------------------------

  /** Secrets to sign with now: the current one first, then any still in their overlap window. */
  async function getSigningSecrets(appId: number): Promise<string[]> {
    const keyring = keyringOf(db);
    return (await repo.liveWebhookSecrets(db, appId, clock.now())).map((s) => open(keyring, s.secret));
  }

  /** The newest live admin key: sent as `Authorization: KakaoAK …` on unlink webhooks (§1.2). */
  async function getPrimaryAdminKey(appId: number): Promise<string | undefined> {
    const stored = (await repo.liveKeys(db, appId)).find((k) => k.kind === 'admin')?.key;
    return stored === undefined ? undefined : open(keyringOf(db), stored);
  }

  return {
    rotateAdminKey,
    revokeAdminKey,
    setClientSecretEnabled,
    regenerateClientSecret,
    rotateWebhookSecret,
    getSigningSecrets,
    getPrimaryAdminKey,
  };
}
