/**
 * How oidc-provider's models are written to `oidc_payloads` so that a copy of the table lets no one
 * act as a person or an app (OWASP ASVS V3.5, "token-based session management"; RFC 9700 §4.14 on
 * refresh tokens; RFC 6749 §10.3 and §10.5 on access tokens and codes).
 *
 * The value oidc-provider hands out is the model's `jti`: the access token, the authorization
 * code, the refresh token, the `yeon_op_session` and `yeon_op_interaction` cookie values. So:
 * - the row id, and every column looked up by (`uid`, `user_code`, `grant_id`), hold
 *   `sha256(value)`: the adapter hashes what it is asked for and finds the row, a copy yields only
 *   hashes of 256-bit random values, which cannot be reversed;
 * - `jti` is never written into the JSON payload; `find(value)` puts it back, since the caller
 *   just presented it;
 * - an Interaction's payload is the only one that carries token values besides its own: its
 *   `returnTo` holds its own id (the resume URL, lib/actions/authorization/interactions.js), and
 *   its `session.cookie` holds the session cookie value (lib/models/interaction.js), which
 *   finishLogin reads back. `returnTo` is stored split around the id and joined again on `find`;
 *   `session.cookie` is sealed (AES-256-GCM) under a key derived from the interaction's own id,
 *   so only the holder of that interaction cookie can read it.
 *
 * A lookup by `uid` (Session) or by `user_code` (DeviceCode) does not know the row's value, so what
 * it returns has no `jti`. oidc-provider only reads such a Session (lib/provider.js
 * `#getInteraction`, lib/models/token_helpers.js `checkSessionBinding`) and never saves it; the
 * device flow is not enabled (provider.ts `features`). A session uid is a server-side handle:
 * oidc-provider takes it only from rows it stored, never from a request, so the plain copies
 * inside payloads (`Session.uid`, a token's `sessionUid`) are no credential.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AdapterPayload } from 'oidc-provider';
import { sha256 } from '../lib/crypto.ts';

/** The stored form of a token value or of a column looked up by: what `find*` compares against. */
export const storedKey = (value: string): string => sha256(value);

function fieldKey(id: string): Buffer {
  return createHash('sha256').update('yeon oidc payload field\u0000').update(id).digest();
}

function seal(id: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', fieldKey(id), iv);
  const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

function open(id: string, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', fieldKey(id), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** A payload as JSON sees it: the stored form changes the types of a few fields. */
type Json = Record<string, unknown>;

/** The JSON text stored for `payload` of the model instance whose value is `id`. */
export function storedPayloadText(model: string, id: string, payload: AdapterPayload): string {
  const { consumed: _consumed, jti: _jti, ...rest }: Json = payload;
  if (model === 'Interaction') {
    if (typeof rest.returnTo === 'string') rest.returnTo = rest.returnTo.split(id);
    const session = rest.session as Json | undefined;
    if (session && typeof session.cookie === 'string') {
      const { cookie, ...kept } = session;
      rest.session = { ...kept, sealedCookie: seal(id, cookie) };
    }
  }
  return JSON.stringify(rest);
}

/** The payload oidc-provider gets back; `id` is the value it was found by, when known. */
export function payloadFromStored(model: string, id: string | undefined, text: string): AdapterPayload {
  const payload = JSON.parse(text) as Json;
  if (id !== undefined) {
    payload.jti = id;
    if (model === 'Interaction') {
      if (Array.isArray(payload.returnTo)) payload.returnTo = payload.returnTo.join(id);
      const session = payload.session as Json | undefined;
      if (session && typeof session.sealedCookie === 'string') {
        const { sealedCookie, ...kept } = session;
        const cookie = open(id, sealedCookie);
        payload.session = cookie === undefined ? kept : { ...kept, cookie };
      }
    }
  }
  return payload as AdapterPayload;
}
