/**
 * Settings sections of an app: login (redirect URIs, OIDC), consent items,
 * platforms and the unlink webhook. Each update replaces its section whole, validated first,
 * saved in one transaction, and touches no other section.
 */
import { AppError, type FieldIssue, validationError } from '../../errors/catalogue.ts';
import { keyringOf, open } from '../../lib/encryption.ts';
import { pullPendingForward } from '../notifications/log.repo.ts';
import { takeTestNotificationTurn } from '../notifications/test-notification.ts';
import type { AppsContext } from './apps.context.ts';
import * as repo from './apps.repo.ts';
import {
  type Actor,
  CONSENT_ITEMS,
  type ConsentItem,
  type ConsentItemsInput,
  LIMITS,
  type LoginSettingsInput,
  type OAuthStrictnessInput,
  type PlatformsInput,
  type PolicyLinksInput,
  type TestNotificationResult,
  type UnlinkSettingsInput,
} from './apps.types.ts';
import {
  parseConsentItems,
  parseOrigins,
  parsePlatforms,
  parsePolicyLinks,
  parseRedirectUris,
  parseUnlinkSettings,
} from './apps.validation.ts';

/**
 * All nine items in console order: `changes` over `current`, and 'off' for items never set.
 * New apps start with the nickname required, as a login needs a display name.
 */
export function mergeConsentItems(current: ConsentItem[], changes: ConsentItem[]): ConsentItem[] {
  const isNew = current.length === 0;
  return CONSENT_ITEMS.map(
    (item) =>
      changes.find((c) => c.item === item) ??
      current.find((c) => c.item === item) ?? {
        item,
        mode: isNew && item === 'profile_nickname' ? 'required' : 'off',
        purpose_ko: null,
        purpose_en: null,
      },
  );
}

/**
 * Callback URLs go through the outbound SSRF guard: loopback, private, link-local and
 * metadata destinations are refused unless the operator's allow-list covers them.
 */
export async function checkCallbackUrl(ctx: AppsContext, url: string): Promise<FieldIssue | undefined> {
  if (!ctx.checkDestination)
    return { field: 'callback_url', message: 'apps.destination.unconfigured', params: { value: url } };
  const result = await ctx.checkDestination(url, {
    allow: ctx.outboundAllow,
    ...(ctx.resolveHost ? { resolve: ctx.resolveHost } : {}),
  });
  if (result.ok) return undefined;
  return {
    field: 'callback_url',
    message: `apps.destination.${result.reason}`,
    params: { value: url, address: result.address ?? '' },
  };
}

function issuesOf(...parts: Array<{ issues: FieldIssue[] }>): FieldIssue[] {
  return parts.flatMap((p) => p.issues);
}

/** The columns for the strictness switches that were given; an omitted switch keeps its value. */
function strictnessColumns(input: OAuthStrictnessInput): { require_pkce?: number; strict_oauth?: number } {
  return {
    ...(input.require_pkce === undefined ? {} : { require_pkce: input.require_pkce ? 1 : 0 }),
    ...(input.strict_oauth === undefined ? {} : { strict_oauth: input.strict_oauth ? 1 : 0 }),
  };
}

export function createSettingsService(ctx: AppsContext) {
  const { db, clock } = ctx;

  /** @throws AppError('validation_failed' | 'not_found' | 'forbidden') */
  async function updateLoginSettings(actor: Actor, appId: number, input: LoginSettingsInput): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const login = parseRedirectUris('redirect_uris', input.redirect_uris ?? [], LIMITS.redirectUris);
    const logout = parseRedirectUris(
      'logout_redirect_uris',
      input.logout_redirect_uris ?? [],
      LIMITS.logoutRedirectUris,
    );
    const origins = input.javascript_origins
      ? parseOrigins('javascript_origins', input.javascript_origins)
      : undefined;
    const issues = issuesOf(login, logout, ...(origins ? [origins] : []));
    if (issues.length) throw validationError(issues);
    await db.transaction().execute(async (trx) => {
      await repo.updateAppRow(trx, appId, {
        kakao_login_enabled: input.kakao_login_enabled ? 1 : 0,
        oidc_enabled: input.oidc_enabled ? 1 : 0,
        ...(origins ? { javascript_origins: JSON.stringify(origins.value) } : {}),
        ...strictnessColumns(input),
        updated_at: clock.now(),
      });
      await repo.replaceRedirectUris(trx, appId, 'login', login.value);
      await repo.replaceRedirectUris(trx, appId, 'logout', logout.value);
    });
  }

  /**
   * Only the OAuth strictness switches (Require PKCE: RFC 7636, RFC 9700 §2.1.1; Strict OAuth:
   * RFC 9207, OpenID Connect Core §3.1.2.1), leaving the rest of the login section as it is, for
   * callers that change one switch (`yeon app update`) and must not resend the whole section.
   * @throws AppError('not_found' | 'forbidden')
   */
  async function updateOAuthStrictness(
    actor: Actor,
    appId: number,
    input: OAuthStrictnessInput,
  ): Promise<void> {
    await ctx.access(actor, appId, 'update');
    await repo.updateAppRow(db, appId, { ...strictnessColumns(input), updated_at: clock.now() });
  }

  /**
   * Only the privacy policy and terms links (an omitted one keeps its value), for callers that
   * change a link without resending the whole basics section (`yeon app update`).
   * @throws AppError('validation_failed' | 'not_found' | 'forbidden')
   */
  async function updatePolicyLinks(actor: Actor, appId: number, input: PolicyLinksInput): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const { value, issues } = parsePolicyLinks(input, ctx.urlRules);
    if (issues.length) throw validationError(issues);
    await repo.updateAppRow(db, appId, { ...value, updated_at: clock.now() });
  }

  /**
   * Sets the listed items; unlisted items keep their setting. Applies to future consents only:
   * connections store what each person agreed to.
   * @throws AppError('validation_failed' | 'not_found' | 'forbidden')
   */
  async function updateConsentItems(actor: Actor, appId: number, input: ConsentItemsInput): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const { value, issues } = parseConsentItems(input);
    if (issues.length) throw validationError(issues);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      for (const item of value) await repo.upsertConsentItem(trx, appId, item, now);
      await repo.updateAppRow(trx, appId, { updated_at: now });
    });
  }

  /** @throws AppError('validation_failed' | 'not_found' | 'forbidden') */
  async function updatePlatforms(actor: Actor, appId: number, input: PlatformsInput): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const { value, issues } = parsePlatforms(input);
    if (issues.length) throw validationError(issues);
    await db.transaction().execute(async (trx) => {
      await repo.replacePlatforms(trx, appId, value);
      await repo.updateAppRow(trx, appId, { updated_at: clock.now() });
    });
  }

  /** @throws AppError('validation_failed' | 'not_found' | 'forbidden') */
  async function updateUnlinkSettings(
    actor: Actor,
    appId: number,
    input: UnlinkSettingsInput,
  ): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const current = await repo.findAppRow(db, appId);
    if (!current) throw new AppError('not_found');
    const { value, issues } = parseUnlinkSettings(
      input,
      {
        callback_url: current.unlink_callback_url,
        method: current.unlink_method as 'GET' | 'POST',
        state: current.unlink_state as 'active' | 'paused',
        format: current.unlink_format as 'kakao' | 'json',
      },
      ctx.urlRules,
    );
    if (!issues.length && value.callback_url) {
      const refused = await checkCallbackUrl(ctx, value.callback_url);
      if (refused) issues.push(refused);
    }
    if (issues.length) throw validationError(issues);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await repo.updateAppRow(trx, appId, {
        unlink_callback_url: value.callback_url,
        unlink_method: value.method,
        unlink_state: value.state,
        unlink_format: value.format,
        updated_at: now,
        // A pause or resume here is a person's choice: record it, and on resume send the waiting
        // backlog now with a fresh failure window.
        ...(value.state !== current.unlink_state
          ? {
              unlink_paused_reason: value.state === 'paused' ? 'manual' : null,
              unlink_paused_at: value.state === 'paused' ? now : null,
              notify_failing_since: null,
            }
          : {}),
      });
      if (value.state === 'active' && current.unlink_state === 'paused')
        await pullPendingForward(trx, appId, now);
    });
  }

  /**
   * Sends a test unlink notification to the configured callback and reports what happened.
   * Owners and admins only, once per cooldown per app (test-notification.ts).
   * @throws AppError('not_found' | 'forbidden'); AppError('validation_failed') when no callback is set;
   * AppError('test_notification_cooldown') within the cooldown of the app's last test.
   */
  async function sendTestNotification(actor: Actor, appId: number): Promise<TestNotificationResult> {
    await ctx.access(actor, appId, 'send_test_notification');
    const app = await repo.findAppRow(db, appId);
    if (!app) throw new AppError('not_found');
    if (!app.unlink_callback_url)
      throw validationError([{ field: 'callback_url', message: 'validation.required' }]);
    const now = clock.now();
    await takeTestNotificationTurn(db, appId, ctx.testNotificationCooldownMs, now);
    const [keys, secrets] = await Promise.all([
      repo.liveKeys(db, appId),
      repo.liveWebhookSecrets(db, appId, now),
    ]);
    const refused = await checkCallbackUrl(ctx, app.unlink_callback_url);
    if (refused) return { ok: false, error: refused.message, error_params: refused.params };
    if (!ctx.sendTestNotification) return { ok: false, error: 'notifications are not configured' };
    const keyring = keyringOf(db);
    const storedAdminKey = keys.find((k) => k.kind === 'admin')?.key;
    return ctx.sendTestNotification(
      { ...app, admin_key: storedAdminKey === undefined ? null : open(keyring, storedAdminKey) },
      secrets.map((s) => open(keyring, s.secret)),
    );
  }

  return {
    updateLoginSettings,
    updateOAuthStrictness,
    updatePolicyLinks,
    updateConsentItems,
    updatePlatforms,
    updateUnlinkSettings,
    sendTestNotification,
  };
}
