/**
 * The contract of /api/v1/tokens (TypeBox, turned into the OpenAPI document at /docs/json like
 * apps.schemas.ts). The lifetimes come from the service's own list, so the document and the rule
 * cannot disagree.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import {
  DEFAULT_TOKEN_LIFETIME,
  TOKEN_LIFETIME_DAYS,
  TOKEN_NAME_MAX,
  type TokenLifetime,
} from '../../../modules/developer-tokens/developer-tokens.service.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Millis = Type.Integer({ description: 'epoch milliseconds' });

export const TokenParams = Type.Object({ token_id: Type.String({ maxLength: 64 }) });

/**
 * A bare `enum`, with no `type`: Fastify's Ajv coerces values towards a declared type, and a
 * `null` branch would turn `0`, `false` or `""` into "never expires". Here they are refused.
 */
const ExpiresInDays = Type.Unsafe<TokenLifetime>({
  enum: [...TOKEN_LIFETIME_DAYS, null],
  description:
    `Days until the token is refused: ${TOKEN_LIFETIME_DAYS.join(', ')}, or null for never ` +
    `(until revoked). Omitted: ${DEFAULT_TOKEN_LIFETIME ?? 'never'}.`,
});

export const TokenBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200, description: `at most ${TOKEN_NAME_MAX} characters` })),
  expires_in_days: Type.Optional(ExpiresInDays),
});

const TokenInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Millis,
  last_used_at: Nullable(Millis),
  expires_at: Nullable({ ...Millis, description: 'epoch milliseconds from which it is refused' }),
  expired: Type.Boolean({ description: 'already refused; listed until revoked' }),
});
export const TokenList = Type.Object({ tokens: Type.Array(TokenInfo) });
export const CreatedToken = Type.Object({
  ...TokenInfo.properties,
  token: Type.String({ description: 'shown once' }),
});
