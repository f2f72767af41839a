/**
 * The developer console's rules: creating apps and reading or changing them. No Fastify
 * here: the console pages, the JSON API and the CLI call the same functions. Every function that
 * takes an `actor` goes through apps.policy.ts (via `ctx.access`); every update validates the
 * whole input first and then saves it in one transaction, so an invalid input saves nothing.
 * The functions without an actor are lookups for the OAuth engine and the notifier.
 */
import { AppError, type FieldIssue, validationError } from '../../errors/catalogue.ts';
import { randomSafeInteger } from '../../lib/crypto.ts';
import { keyringOf, open, seal } from '../../lib/encryption.ts';
import { newId } from '../../lib/ids.ts';
import { newAppKey, newClientSecret, newWebhookSecret, storedAppKey } from './app-credentials.ts';
import { createDashboardService } from './app-dashboard.ts';
import { type AppDeletion, deleteAppWithLinks } from './app-deletion.ts';
import { createKeyRotationService, keysOfDetail } from './app-key-rotation.ts';
import { type AppsDeps, createAppsContext } from './apps.context.ts';
import { createCredentialsService } from './apps.credentials.ts';
import { createMembersService } from './apps.members.ts';
import { permissionsOf } from './apps.policy.ts';
import * as repo from './apps.repo.ts';
import { checkCallbackUrl, createSettingsService, mergeConsentItems } from './apps.settings.ts';
import type {
  Actor,
  AppClient,
  AppDetail,
  AppKeyKind,
  AppRow,
  AppSummary,
  BasicsInput,
  ConsentItem,
  CreateAppInput,
  CreatedApp,
  IconInput,
} from './apps.types.ts';
import { LIMITS } from './apps.types.ts';
import {
  parseBasics,
  parseConsentItems,
  parseIcon,
  parsePlatforms,
  parseRedirectUris,
  parseUnlinkSettings,
} from './apps.validation.ts';

export type { AppsDeps } from './apps.context.ts';

export function createAppsService(deps: AppsDeps) {
  const ctx = createAppsContext(deps);
  const { db, clock } = ctx;

  /**
   * Creates an app owned by the actor, with all its keys and a first webhook secret.
   * @throws AppError('validation_failed') with field issues (nothing saved).
   */
  async function createApp(actor: Actor, input: CreateAppInput): Promise<CreatedApp> {
    const basics = parseBasics(input, ctx.urlRules);
    const login = parseRedirectUris('redirect_uris', input.redirect_uris ?? [], LIMITS.redirectUris);
    const logout = parseRedirectUris(
      'logout_redirect_uris',
      input.logout_redirect_uris ?? [],
      LIMITS.logoutRedirectUris,
    );
    const consent = parseConsentItems(input.consent_items ?? []);
    const platforms = parsePlatforms(input.platforms ?? { site_urls: [] });
    const unlink = parseUnlinkSettings(
      input.unlink ?? { callback_url: null, method: 'POST', state: 'active' },
      undefined,
      ctx.urlRules,
    );
    const issues: FieldIssue[] = [
      ...basics.issues,
      ...login.issues,
      ...logout.issues,
      ...consent.issues,
      ...platforms.issues,
      ...unlink.issues,
    ];
    if (!unlink.issues.length && unlink.value.callback_url) {
      const refused = await checkCallbackUrl(ctx, unlink.value.callback_url);
      if (refused) issues.push(refused);
    }
    if (issues.length) throw validationError(issues);

    const now = clock.now();
    const created: CreatedApp = {
      app_id: randomSafeInteger(),
      rest_api_key: newAppKey(),
      javascript_key: newAppKey(),
      native_app_key: newAppKey(),
      admin_key: newAppKey(),
      client_secret: newClientSecret(),
      webhook_secret: newWebhookSecret(),
    };
    const appId = created.app_id;
    const keyring = keyringOf(db);
    await db.transaction().execute(async (trx) => {
      await repo.insertApp(trx, {
        id: appId,
        ...basics.value,
        kakao_login_enabled: input.kakao_login_enabled === false ? 0 : 1,
        oidc_enabled: input.oidc_enabled === false ? 0 : 1,
        client_secret: seal(keyring, created.client_secret),
        client_secret_enabled: input.client_secret_enabled ? 1 : 0,
        javascript_origins: '[]',
        require_pkce: 0,
        strict_oauth: 0,
        unlink_callback_url: unlink.value.callback_url,
        unlink_method: unlink.value.method,
        unlink_state: unlink.value.state,
        unlink_format: unlink.value.format,
        created_at: now,
        updated_at: now,
      });
      const keys: Array<[AppKeyKind, string]> = [
        ['rest_api', created.rest_api_key],
        ['javascript', created.javascript_key],
        ['native', created.native_app_key],
        ['admin', created.admin_key],
      ];
      for (const [kind, key] of keys)
        await repo.insertKey(trx, {
          id: newId('key_'),
          ...storedAppKey(keyring, kind, key),
          app_id: appId,
          kind,
          created_at: now,
        });
      await repo.insertMember(trx, {
        app_id: appId,
        account_id: actor.accountId,
        role: 'owner',
        created_at: now,
      });
      await repo.replaceRedirectUris(trx, appId, 'login', login.value);
      await repo.replaceRedirectUris(trx, appId, 'logout', logout.value);
      for (const item of mergeConsentItems([], consent.value))
        await repo.upsertConsentItem(trx, appId, item, now);
      await repo.replacePlatforms(trx, appId, platforms.value);
      await repo.insertWebhookSecret(trx, {
        id: newId('whs_'),
        app_id: appId,
        secret: seal(keyring, created.webhook_secret),
        created_at: now,
      });
    });
    return created;
  }

  async function listAppsForAccount(actor: Actor): Promise<AppSummary[]> {
    return repo.listAppsOfAccount(db, actor.accountId);
  }

  /** @throws AppError('not_found') for non-members and unknown apps. */
  async function getAppDetail(actor: Actor, appId: number): Promise<AppDetail> {
    const role = await ctx.access(actor, appId, 'read');
    const permissions = permissionsOf(role);
    const now = clock.now();
    const [app, keys, uris, consent, platforms, secrets, members, icon] = await Promise.all([
      repo.findAppRow(db, appId),
      repo.liveKeys(db, appId),
      repo.listRedirectUris(db, appId),
      repo.listConsentItems(db, appId),
      repo.listPlatforms(db, appId),
      repo.liveWebhookSecrets(db, appId, now),
      repo.listMembers(db, appId),
      repo.findIconMeta(db, appId),
    ]);
    if (!app) throw new AppError('not_found');
    // Secrets are opened only for roles that may see them (src/lib/encryption.ts).
    const keyring = keyringOf(db);
    const hide = (v: string): string | null => (permissions.see_secrets ? open(keyring, v) : null);
    return {
      id: app.id,
      name: app.name,
      company_name: app.company_name,
      description: app.description,
      privacy_policy_url: app.privacy_policy_url,
      terms_url: app.terms_url,
      icon: icon ?? null,
      role,
      permissions,
      keys: keysOfDetail(keys, now, hide),
      client_secret: { enabled: app.client_secret_enabled === 1, value: hide(app.client_secret) },
      login: {
        kakao_login_enabled: app.kakao_login_enabled === 1,
        oidc_enabled: app.oidc_enabled === 1,
        redirect_uris: uris.login,
        logout_redirect_uris: uris.logout,
        javascript_origins: JSON.parse(app.javascript_origins) as string[],
        require_pkce: app.require_pkce === 1,
        strict_oauth: app.strict_oauth === 1,
      },
      consent_items: mergeConsentItems(consent, []),
      platforms,
      unlink: {
        callback_url: app.unlink_callback_url,
        method: app.unlink_method as AppDetail['unlink']['method'],
        state: app.unlink_state as AppDetail['unlink']['state'],
        format: app.unlink_format as AppDetail['unlink']['format'],
        webhook_secrets: secrets.map((s) => ({ ...s, secret: hide(s.secret) })),
      },
      members,
      created_at: app.created_at,
      updated_at: app.updated_at,
    };
  }

  /** @throws AppError('validation_failed' | 'not_found' | 'forbidden') */
  async function updateBasics(actor: Actor, appId: number, input: BasicsInput): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const { value, issues } = parseBasics(input, ctx.urlRules);
    if (issues.length) throw validationError(issues);
    await repo.updateAppRow(db, appId, { ...value, updated_at: clock.now() });
  }

  /** @throws AppError('validation_failed' | 'not_found' | 'forbidden') */
  async function setIcon(actor: Actor, appId: number, input: IconInput): Promise<void> {
    await ctx.access(actor, appId, 'update');
    const { value, issues } = parseIcon(input.bytes);
    if (issues.length) throw validationError(issues);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await repo.upsertIcon(trx, {
        app_id: appId,
        content_type: value.content_type,
        data_base64: Buffer.from(input.bytes).toString('base64'),
        byte_size: input.bytes.length,
        updated_at: now,
      });
      await repo.updateAppRow(trx, appId, { updated_at: now });
    });
  }

  async function removeIcon(actor: Actor, appId: number): Promise<void> {
    await ctx.access(actor, appId, 'update');
    await repo.deleteIcon(db, appId);
  }

  /**
   * Ends every link of the app (each notified, in the same transaction) and deletes the app: it is
   * gone for everyone at once, and its row is purged once its notifications are delivered
   * (app-deletion.ts purgeDeletedApps).
   * @throws AppError('not_found' | 'forbidden')
   */
  async function deleteApp(actor: Actor, appId: number): Promise<AppDeletion> {
    return deleteAppWithLinks(ctx, actor, appId);
  }

  // ---- lookups without an actor (OAuth engine, icon route, notifier) ------------------------------

  /** The OAuth client for a `client_id` (= REST API key), or undefined. */
  async function findAppByRestApiKey(key: string): Promise<AppClient | undefined> {
    const app = await repo.findAppByKey(db, key, 'rest_api');
    if (!app) return undefined;
    const uris = await repo.listRedirectUris(db, app.id);
    return {
      ...app,
      client_secret: open(keyringOf(db), app.client_secret),
      rest_api_key: key,
      redirect_uris: uris.login,
      logout_redirect_uris: uris.logout,
    };
  }

  /** The app a live (not revoked) admin key belongs to (`Authorization: KakaoAK …`). */
  async function findAppByAdminKey(key: string): Promise<AppRow | undefined> {
    return repo.findAppByKey(db, key, 'admin');
  }

  async function findAppById(appId: number): Promise<AppRow | undefined> {
    return Number.isSafeInteger(appId) ? repo.findAppRow(db, appId) : undefined;
  }

  /** All nine items in console order; items never configured are 'off'. */
  async function getConsentItems(appId: number): Promise<ConsentItem[]> {
    return mergeConsentItems(await repo.listConsentItems(db, appId), []);
  }

  /** Operators (the CLI) list every app, with owners' emails. */
  async function listAllApps() {
    return repo.listAllApps(db);
  }

  /**
   * An owner to act as, for operator tools that have database access anyway (`yeon app show`):
   * they still go through the policy, as that owner.
   */
  async function findOwnerActor(appId: number): Promise<Actor | undefined> {
    const accountId = Number.isSafeInteger(appId) ? await repo.firstOwnerId(db, appId) : undefined;
    return accountId ? { accountId } : undefined;
  }

  /**
   * The app a login names by its client key, as its pages show it, in two indexed reads. The rule
   * is the OAuth engine's (src/oidc/clients.ts): an unknown or revoked key, or an app with Kakao
   * Login off, has no login.
   */
  async function findLoginApp(clientKey: string) {
    const row =
      clientKey && clientKey.length <= 200 ? await repo.findAppByClientKey(db, clientKey) : undefined;
    if (!row?.kakao_login_enabled) return undefined;
    const { id, name, company_name, privacy_policy_url, terms_url } = row;
    const has_icon = !!(await repo.findIconMeta(db, id));
    return { id, name, company_name, privacy_policy_url, terms_url, has_icon };
  }

  /** Public icon bytes for `<img>` (icons are shown on consent screens, so not secret). */
  async function getIcon(appId: number) {
    const icon = Number.isSafeInteger(appId) ? await repo.findIcon(db, appId) : undefined;
    if (!icon) return undefined;
    return {
      content_type: icon.content_type,
      bytes: Buffer.from(icon.data_base64, 'base64'),
      updated_at: icon.updated_at,
    };
  }

  const credentials = createCredentialsService(ctx);
  return {
    createApp,
    listAppsForAccount,
    getAppDetail,
    updateBasics,
    setIcon,
    removeIcon,
    deleteApp,
    ...createSettingsService(ctx),
    ...credentials,
    ...createKeyRotationService(ctx),
    ...createMembersService(ctx),
    ...createDashboardService(ctx),
    findAppByRestApiKey,
    findAppByAdminKey,
    findAppById,
    getConsentItems,
    getIcon,
    findLoginApp,
    listAllApps,
    findOwnerActor,
  };
}

export type AppsService = ReturnType<typeof createAppsService>;
