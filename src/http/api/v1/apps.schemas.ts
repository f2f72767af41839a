/**
 * The management API's contract: TypeBox schemas for every route's params, body and
 * responses. Fastify validates and serializes with them, and @fastify/swagger turns them into the
 * OpenAPI document at /docs/json, so the documentation cannot drift from the code
 * (the schema is the contract: types come from it, never written twice). Shapes mirror
 * src/modules/apps/apps.types.ts.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import {
  APP_ROLES,
  CONSENT_ITEMS,
  CONSENT_MODES,
  UNLINK_FORMATS,
  UNLINK_METHODS,
  UNLINK_STATES,
} from '../../../modules/apps/apps.types.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Enum = (values: readonly string[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
const Millis = Type.Integer({ description: 'epoch milliseconds' });
const UrlList = (description: string) =>
  Type.Array(Type.String({ maxLength: 2048 }), { maxItems: 50, description });

export const AppIdParams = Type.Object({
  app_id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'numeric app id' }),
});
export const KeyParams = Type.Object({ ...AppIdParams.properties, key_id: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({
  ...AppIdParams.properties,
  account_id: Type.String({ maxLength: 64 }),
});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable snake_case code' }),
      message: Type.String(),
      issues: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
      request_id: Type.Optional(Type.String()),
    }),
  },
  { description: 'Error' },
);

// ---- bodies -------------------------------------------------------------------------------------

export const BasicsBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  company_name: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  privacy_policy_url: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
  terms_url: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
});

export const LoginBody = Type.Object({
  kakao_login_enabled: Type.Boolean(),
  oidc_enabled: Type.Boolean(),
  redirect_uris: UrlList('up to 10; https, or http on localhost/127.0.0.1/[::1]; exact match'),
  logout_redirect_uris: UrlList('up to 10; same rules as redirect_uris'),
  javascript_origins: Type.Optional(
    UrlList('origins allowed to use the JavaScript key; omitted = unchanged'),
  ),
  require_pkce: Type.Optional(
    Type.Boolean({
      description:
        'true: every authorization request must carry an S256 code_challenge (RFC 7636, RFC 9700 §2.1.1); false (default): PKCE optional, as in Kakao Login; omitted = unchanged',
    }),
  ),
  strict_oauth: Type.Optional(
    Type.Boolean({
      description:
        'true: authorization responses carry iss (RFC 9207) and an ID token is issued only when scope has openid (OpenID Connect Core §3.1.2.1); false (default): as Kakao Login answers; omitted = unchanged',
    }),
  ),
});

const ConsentEntry = Type.Object({
  item: Type.String({ maxLength: 64, description: CONSENT_ITEMS.join(', ') }),
  mode: Type.String({ maxLength: 32, description: 'required, optional, during_use (or during-use), off' }),
  purpose_ko: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  purpose_en: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});
export const ConsentBody = Type.Object({
  items: Type.Array(ConsentEntry, { maxItems: 50, description: 'items not listed keep their setting' }),
});

export const PlatformsBody = Type.Object({
  site_urls: UrlList('web site URLs'),
  android: Type.Optional(
    Nullable(
      Type.Object({
        package_name: Type.String({ maxLength: 300 }),
        market_url: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
      }),
    ),
  ),
  ios: Type.Optional(
    Nullable(
      Type.Object({
        bundle_id: Type.String({ maxLength: 300 }),
        app_store_url: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
      }),
    ),
  ),
});

export const UnlinkBody = Type.Object({
  callback_url: Nullable(Type.String({ maxLength: 2048 })),
  method: Type.String({ maxLength: 10, description: 'GET or POST' }),
  state: Type.String({ maxLength: 10, description: 'active or paused' }),
  format: Type.Optional(Type.String({ maxLength: 10, description: 'kakao or json; omitted = unchanged' })),
});

export const CreateAppBody = Type.Object({
  ...BasicsBody.properties,
  redirect_uris: Type.Optional(LoginBody.properties.redirect_uris),
  logout_redirect_uris: Type.Optional(LoginBody.properties.logout_redirect_uris),
  kakao_login_enabled: Type.Optional(Type.Boolean({ default: true })),
  oidc_enabled: Type.Optional(Type.Boolean({ default: true })),
  client_secret_enabled: Type.Optional(Type.Boolean({ default: false })),
  consent_items: Type.Optional(ConsentBody.properties.items),
  platforms: Type.Optional(PlatformsBody),
  unlink: Type.Optional(UnlinkBody),
});

export const IconBody = Type.Object({
  image_base64: Type.String({ maxLength: 1_400_000, description: 'PNG or JPEG, at most 1 MB, base64' }),
});

export const ClientSecretBody = Type.Object({ enabled: Type.Boolean() });
export const InvitationBody = Type.Object({
  email: Type.String({
    maxLength: 254,
    description: 'the person to invite; the answer is the same whether or not it has an account',
  }),
  role: Type.String({ maxLength: 16, description: APP_ROLES.join(', ') }),
});
export const InvitationParams = Type.Object({
  ...AppIdParams.properties,
  invitation_id: Type.String({ maxLength: 64 }),
});
export const RoleBody = Type.Object({ role: InvitationBody.properties.role });

// ---- responses ----------------------------------------------------------------------------------

export const AppSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  company_name: Nullable(Type.String()),
  has_icon: Type.Boolean(),
  role: Enum(APP_ROLES),
  created_at: Millis,
});
export const AppList = Type.Object({ apps: Type.Array(AppSummary) });

export const CreatedApp = Type.Object({
  app_id: Type.Integer(),
  rest_api_key: Type.String({ description: 'the OAuth client_id' }),
  javascript_key: Type.String(),
  native_app_key: Type.String(),
  admin_key: Type.String(),
  client_secret: Type.String(),
  webhook_secret: Type.String(),
});

const Member = Type.Object({
  account_id: Type.String(),
  email: Type.String(),
  nickname: Type.String(),
  role: Enum(APP_ROLES),
  created_at: Millis,
});

export { Member };

export const CreatedInvitation = Type.Object({
  id: Type.String(),
  role: Enum(APP_ROLES),
  expires_at: Millis,
  url: Type.String({
    description: 'the invitation link, returned only now (only its hash is stored); it is also emailed',
  }),
});

export const InvitationList = Type.Object({
  invitations: Type.Array(
    Type.Object({
      id: Type.String(),
      email: Type.String(),
      role: Enum(APP_ROLES),
      invited_by_nickname: Type.String(),
      created_at: Millis,
      expires_at: Millis,
    }),
  ),
});

export const AppDetail = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  company_name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  privacy_policy_url: Nullable(Type.String()),
  terms_url: Nullable(Type.String()),
  icon: Nullable(Type.Object({ content_type: Type.String(), byte_size: Type.Integer(), updated_at: Millis })),
  role: Enum(APP_ROLES),
  permissions: Type.Object({
    update: Type.Boolean(),
    see_secrets: Type.Boolean(),
    send_test_notification: Type.Boolean(),
    manage_members: Type.Boolean(),
    manage_owners: Type.Boolean(),
    delete: Type.Boolean(),
  }),
  keys: Type.Object({
    rest_api: Type.String(),
    javascript: Type.String(),
    native: Type.String(),
    admin: Type.Array(Type.Object({ id: Type.String(), key: Nullable(Type.String()), created_at: Millis }), {
      description: 'newest (primary) first; key is null for plain members',
    }),
  }),
  client_secret: Type.Object({ enabled: Type.Boolean(), value: Nullable(Type.String()) }),
  login: Type.Object({
    kakao_login_enabled: Type.Boolean(),
    oidc_enabled: Type.Boolean(),
    redirect_uris: Type.Array(Type.String()),
    logout_redirect_uris: Type.Array(Type.String()),
    javascript_origins: Type.Array(Type.String()),
    require_pkce: Type.Boolean({
      description: 'S256 code_challenge required on every authorization request',
    }),
    strict_oauth: Type.Boolean({ description: 'iss on authorization responses; ID token only for openid' }),
  }),
  consent_items: Type.Array(
    Type.Object({
      item: Enum(CONSENT_ITEMS),
      mode: Enum(CONSENT_MODES),
      purpose_ko: Nullable(Type.String()),
      purpose_en: Nullable(Type.String()),
    }),
  ),
  platforms: Type.Object({
    site_urls: Type.Array(Type.String()),
    android: Nullable(Type.Object({ package_name: Type.String(), market_url: Type.String() })),
    ios: Nullable(Type.Object({ bundle_id: Type.String(), app_store_url: Nullable(Type.String()) })),
  }),
  unlink: Type.Object({
    callback_url: Nullable(Type.String()),
    method: Enum(UNLINK_METHODS),
    state: Enum(UNLINK_STATES),
    format: Enum(UNLINK_FORMATS),
    webhook_secrets: Type.Array(
      Type.Object({
        id: Type.String(),
        secret: Nullable(Type.String()),
        created_at: Millis,
        expires_at: Nullable(Millis),
      }),
    ),
  }),
  members: Type.Array(Member),
  created_at: Millis,
  updated_at: Millis,
});

export const AdminKey = Type.Object({ id: Type.String(), key: Type.String() });
export const ClientSecret = Type.Object({ client_secret: Type.String() });
export const ClientSecretState = Type.Object({ enabled: Type.Boolean() });
export const WebhookSecret = Type.Object({
  id: Type.String(),
  secret: Type.String(),
  previous_expires_at: Millis,
});
export const TestNotificationResult = Type.Object({
  ok: Type.Boolean(),
  status: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String({ description: 'why it failed, in the request language' })),
  duration_ms: Type.Optional(Type.Integer()),
  response_excerpt: Type.Optional(Type.String({ description: "the start of the receiver's answer" })),
});
