/**
 * Tables of the OAuth/OIDC engine: everything oidc-provider persists, and the
 * signing keys. Timestamps are epoch ms like everywhere else.
 */

/**
 * One row per stored oidc-provider model instance (codes, tokens, sessions, grants, interactions…).
 * The payload stays opaque JSON; only the fields the adapter contract looks up by are columns.
 * No token value is stored: `id`, `grant_id`, `user_code` and `uid` hold sha256 of the value
 * (base64url), and the payload never carries `jti` (src/oidc/payload-at-rest.ts).
 */
export interface OidcPayloadsTable {
  /** oidc-provider model name: 'AccessToken', 'Session', 'Grant', … */
  model: string;
  /** sha256 of the model's value (the token, code or cookie value oidc-provider hands out) */
  id: string;
  /** the model's payload as JSON text (without `jti`, and without `consumed`, which lives in `consumed_at`) */
  payload: string;
  /** sha256 of the grant id; set for grant-bound models only, so a grant's tokens can be revoked together */
  grant_id: string | null;
  /** sha256 of the DeviceCode user code */
  user_code: string | null;
  /** sha256 of the Session uid */
  uid: string | null;
  /**
   * accountId and clientId of the payload, when it has them: unlink and consent withdrawal revoke
   * everything of one (account, app) at once.
   */
  account_id: string | null;
  client_id: string | null;
  /** null = does not expire (e.g. a dynamically registered Client) */
  expires_at: number | null;
  /** set once, atomically, by `consume` */
  consumed_at: number | null;
}

/** RS256 signing keys: the newest active key signs; retired keys stay published for a while. */
export interface OidcSigningKeysTable {
  kid: string;
  /** private JWK as JSON text (includes kid, alg, use) */
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
}

/** Recent refresh-grant answers, replayed within the grace window (src/oidc/refresh-grace.ts). */
export interface OidcRefreshReplaysTable {
  /** sha256 of the refresh token, hex */
  token_hash: string;
  /** sha256 of the caller's client credentials: a replay goes only to the same client */
  auth_hash: string;
  /** the answer, AES-256-GCM under a key derived from the refresh token; null while pending */
  answer: string | null;
  expires_at: number;
}

export interface OidcTables {
  oidc_payloads: OidcPayloadsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  oidc_refresh_replays: OidcRefreshReplaysTable;
}
