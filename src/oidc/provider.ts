/**
 * createProvider(options) → a configured oidc-provider 9 `Provider`: storage
 * through the Kysely adapter, RS256 keys from the database, Kakao's endpoint paths, Kakao's token
 * lifetimes. The HTTP mount is `oidc.plugin.ts`; decisions are in docs/decisions/0002.
 *
 * Kakao values (Kakao REST API "Get tokens", "Refresh tokens"): access tokens 43199 s, refresh
 * tokens 60 days and a new refresh token only when less than 30 days remain (the old one is then
 * consumed, so its reuse revokes the family); codes are single-use; tokens are opaque; the ID token
 * is RS256 and carries the profile claims (§5.4), hence `conformIdTokenClaims: false`.
 */
import Provider, {
  type ClientMetadata,
  type Configuration,
  type FindAccount,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import type { Clock } from '../lib/clock.ts';
import { createKyselyAdapter, type KyselyAdapterOptions } from './kysely-adapter.ts';
import { ensureSigningKey, loadJwks } from './signing-keys.ts';

/** oidc-provider `routes` on Kakao's paths (one origin serves both of Kakao's hosts, kauth and kapi). */
export const OIDC_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  jwks: '/.well-known/jwks.json',
  revocation: '/oauth/revoke',
  introspection: '/oauth/introspect',
  // Kakao's GET /oauth/logout (client_id + logout_redirect_uri + state, logs out at once) is a yeon
  // route (src/http/oauth/kakao-oauth.routes.ts); standard RP-initiated logout, which wants
  // id_token_hint/post_logout_redirect_uri and a confirm POST, stays available here.
  end_session: '/oidc/logout',
  userinfo: '/v1/oidc/userinfo',
} as const;

export const DEFAULT_INTERACTION_PATH = '/oauth/interaction';

const DAY_S = 86_400;
export const TTL_S = {
  AccessToken: 43_199,
  IdToken: 43_199,
  AuthorizationCode: 600,
  RefreshToken: 60 * DAY_S,
  /** a new refresh token is issued only when the current one has less than this left */
  RefreshTokenRenewBelow: 30 * DAY_S,
  /**
   * A login or consent page left open: every authorize that needs one stores an Interaction row,
   * so a short life keeps anonymous requests from piling up (the authorize cap,
   * authorize-cap.ts, bounds how many are made). Ten minutes, like the code's own life
   * (RFC 6749 §4.1.2 recommends at most 10 minutes for a code).
   */
  Interaction: 600,
  Session: DAY_S,
  /** the grant is the consent: it ends with unlink or withdrawal, not with time */
  Grant: 5 * 365 * DAY_S,
} as const;

/** Kakao consent items as OIDC scopes, and the claims each releases (Kakao "OpenID Connect"). */
export const DEFAULT_SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  profile_nickname: ['nickname'],
  profile_image: ['picture'],
  account_email: ['email', 'email_verified'],
  // every Kakao consent item is a scope, so `scope=gender` is granted and consented like the others
  name: ['name'],
  gender: ['gender'],
  age_range: [],
  birthday: ['birthdate'],
  birthyear: ['birthdate'],
  phone_number: ['phone_number', 'phone_number_verified'],
  // standard OIDC scopes, for clients that are not Kakao clients (openid-client etc.)
  profile: ['nickname', 'picture'],
  email: ['email', 'email_verified'],
};

export interface CreateProviderOptions {
  /** public base URL, without a path: yeon serves Kakao's paths at the root of its origin */
  issuer: string;
  db: Db;
  findAccount: FindAccount;
  /** keys that sign oidc-provider's cookies (first one signs; keep old ones to rotate) */
  cookieKeys: string[];
  /** static clients (tests, first-party); all others come from `findClient` */
  clients?: ClientMetadata[];
  findClient?: KyselyAdapterOptions['findClient'];
  clock?: Clock;
  /** where login/consent happen; oidc-provider redirects there with the interaction uid */
  interactionPath?: string;
  scopeClaims?: Record<string, string[]>;
  /** CORS for browser clients (Kakao JS SDK): allow `origin` for `client`? Default: never. */
  allowCorsOrigin?: (origin: string, clientId: string) => boolean;
  /** lifetime of oidc-provider's own session cookie and row, in seconds */
  sessionTtlS?: number;
  /**
   * Kakao's `sub` is the app user id, a number per (account, app) (Kakao's app user ID; Kakao
   * "OpenID Connect"), not the account id. When given, every client gets `subject_type: 'pairwise'`
   * and this maps the account id to the subject (oidc-provider `pairwiseIdentifier`; sector hosts
   * are ignored).
   */
  subjectFor?: (accountId: string, clientId: string) => Promise<string>;
  /** which earlier consent (Grant) an authorization request may reuse (src/oidc/existing-grant.ts) */
  loadExistingGrant?: Configuration['loadExistingGrant'];
  /** the HTML page for errors that must not redirect: bad client_id or redirect_uri */
  renderError?: Configuration['renderError'];
  /** client metadata properties beyond the standard ones (e.g. the yeon app id, clients.ts) */
  extraClientProperties?: readonly string[];
  /** login/consent/create/select_account prompts (src/oidc/interaction-policy.ts) */
  interactionPolicy?: NonNullable<Configuration['interactions']>['policy'];
  /** extra authorize parameters with validators (e.g. the scope defaults of interaction-policy.ts) */
  extraParamValidators?: Record<string, (ctx: KoaContextWithOIDC) => Promise<void>>;
}

/** The app's "Require PKCE" setting as its client carries it (clients.ts). */
export function pkceRequiredFor(client: unknown): boolean {
  return (client as { yeon_require_pkce?: unknown } | undefined)?.yeon_require_pkce === true;
}

function assertRootIssuer(issuer: string): void {
  const { pathname } = new URL(issuer);
  if (pathname !== '/' && pathname !== '') {
    throw new Error(`the OIDC engine is served at the root of its origin; the issuer ${issuer} has a path`);
  }
}

export function buildConfiguration(
  options: CreateProviderOptions,
  jwks: Configuration['jwks'],
): Configuration {
  const scopeClaims = options.scopeClaims ?? DEFAULT_SCOPE_CLAIMS;
  const interactionPath = options.interactionPath ?? DEFAULT_INTERACTION_PATH;
  const { subjectFor, findClient } = options;
  const subjects: Partial<Configuration> = subjectFor
    ? {
        subjectTypes: ['pairwise'],
        pairwiseIdentifier: (_ctx, accountId, client) => subjectFor(accountId, client.clientId),
        // the sector URI below is a label, never fetched (docs: sectorIdentifierUriValidate)
        sectorIdentifierUriValidate: () => false,
      }
    : { subjectTypes: ['public'] };
  // Pairwise clients with redirect URIs on several hosts need a sector_identifier_uri
  // (lib/helpers/client_schema.js); ours is yeon itself, since subjectFor ignores sectors.
  const sectorHost = new URL(options.issuer).host;
  const withSector = <T extends { client_id?: unknown; sector_identifier_uri?: string }>(client: T): T =>
    subjectFor && !client.sector_identifier_uri
      ? { ...client, sector_identifier_uri: `https://${sectorHost}/oauth/sector/${String(client.client_id)}` }
      : client;
  return {
    ...subjects,
    adapter: createKyselyAdapter(options.db, {
      clock: options.clock,
      findClient:
        findClient &&
        (async (id) => {
          const client = await findClient(id);
          return client && withSector(client);
        }),
    }),
    clients: (options.clients ?? []).map(withSector),
    findAccount: options.findAccount,
    jwks,
    routes: OIDC_ROUTES,
    cookies: {
      keys: options.cookieKeys,
      names: { session: 'yeon_op_session', interaction: 'yeon_op_interaction', resume: 'yeon_op_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      // Not mounted (oidc.plugin.ts lists the routes), so not advertised in discovery either.
      pushedAuthorizationRequests: { enabled: false },
    },
    // Kakao: `response_type=code` only (§5.1, KOE201/KOE202).
    responseTypes: ['code'],
    // PKCE as Kakao: optional for every app, public or confidential; a `code_challenge` that is sent
    // is enforced, S256 only (`plain` is refused, RFC 9700 §2.1.1). An app may require it
    // ("Require PKCE", clients.ts `yeon_require_pkce`; docs/decisions/0005).
    pkce: { required: (_ctx, client) => pkceRequiredFor(client) },
    // Kakao requires redirect_uri on every authorize request (§5.1).
    allowOmittingSingleRegisteredRedirectUri: false,
    clientAuthMethods: ['client_secret_post', 'client_secret_basic', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
      subject_type: subjectFor ? 'pairwise' : 'public',
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    scopes: Object.keys(scopeClaims),
    claims: scopeClaims,
    conformIdTokenClaims: false,
    // Kakao issues a refresh token with every code exchange, no `offline_access` needed (§5.2)…
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // …and its tokens outlive the browser session: logout does not revoke them (§5.3).
    expiresWithSession: async () => false,
    // New refresh token only when less than 30 days remain (Kakao REST API "Refresh tokens").
    rotateRefreshToken: (ctx) => {
      const current = ctx.oidc.entities.RefreshToken;
      return current !== undefined && current.remainingTTL < TTL_S.RefreshTokenRenewBelow;
    },
    ttl: {
      AccessToken: TTL_S.AccessToken,
      IdToken: TTL_S.IdToken,
      AuthorizationCode: TTL_S.AuthorizationCode,
      RefreshToken: TTL_S.RefreshToken,
      Interaction: TTL_S.Interaction,
      Session: options.sessionTtlS ?? TTL_S.Session,
      Grant: TTL_S.Grant,
    },
    // Kakao's own authorize parameters, handed to the interaction pages (§5.1).
    extraParams: {
      service_terms: null,
      channel_public_id: null,
      auth_type: null,
      ...options.extraParamValidators,
    },
    interactions: {
      url: (_ctx, interaction) => `${interactionPath}/${interaction.uid}`,
      ...(options.interactionPolicy ? { policy: options.interactionPolicy } : {}),
    },
    ...(options.loadExistingGrant ? { loadExistingGrant: options.loadExistingGrant } : {}),
    ...(options.renderError ? { renderError: options.renderError } : {}),
    extraClientMetadata: { properties: [...(options.extraClientProperties ?? [])] },
    clientBasedCORS: (_ctx, origin, client) => options.allowCorsOrigin?.(origin, client.clientId) ?? false,
  };
}

/** Builds the Provider; creates the first signing key when there is none. */
export async function createProvider(options: CreateProviderOptions): Promise<Provider> {
  assertRootIssuer(options.issuer);
  await ensureSigningKey(options.db, options.clock);
  const jwks = await loadJwks(options.db, options.clock);
  const provider = new Provider(options.issuer.replace(/\/$/, ''), buildConfiguration(options, jwks));
  // The mount rewrites X-Forwarded-* from Fastify's trusted view and the issuer (oidc.plugin.ts),
  // so oidc-provider may always read them.
  provider.proxy = true;
  return provider;
}
