/**
 * What oidc-provider's client carries of its app (clients.ts `yeon_*` metadata), read here and only
 * here by the engine: the app id, OpenID Connect on or off, strict OAuth. The person's consent
 * state itself is the connections domain's (src/modules/connections/consent-state.ts).
 */

/** The yeon app id oidc-provider's client carries (clients.ts `yeon_app_id`), or undefined. */
export function appIdOfClient(client: unknown): number | undefined {
  const id = (client as { yeon_app_id?: unknown } | undefined)?.yeon_app_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

/**
 * Whether an app row has OpenID Connect on: the one reading of the column (NOT NULL, 1 by default:
 * an app is created with it on). clients.ts copies it into `yeon_oidc_enabled` with this.
 */
export function oidcEnabledForApp(app: { oidc_enabled: number }): boolean {
  return app.oidc_enabled !== 0;
}

/** Whether the client's app has OpenID Connect on (`yeon_oidc_enabled`, set from oidcEnabledForApp). */
export function oidcEnabledForClient(client: unknown): boolean {
  return (client as { yeon_oidc_enabled?: unknown } | undefined)?.yeon_oidc_enabled === true;
}

/** Whether the app opted in to strict OAuth (clients.ts `yeon_strict_oauth`; docs/decisions/0005). */
export function strictOauthFor(client: unknown): boolean {
  return (client as { yeon_strict_oauth?: unknown } | undefined)?.yeon_strict_oauth === true;
}
