/**
 * A code issued to one of an app's public keys, exchanged by the app's server with its REST API key.
 *
 * Kakao's JavaScript SDK asks for the authorization code with the JavaScript key
 * (`Kakao.Auth.authorize`), and the app's server then exchanges it at /oauth/token with the REST
 * API key and, when it is on, the client secret (Kakao JavaScript SDK "Kakao Login"; Kakao REST
 * API "Get tokens"). At Kakao a code belongs to the app, not to one key. In oidc-provider each key
 * is a client of its own (clients.ts), and a code is redeemed only by the client it was issued to
 * (RFC 6749 §4.1.3). So the Kakao layer authenticates the REST API key here, exactly as
 * oidc-provider would (`client_secret_post`, compared in constant time), and then hands the
 * request on as the key the code was issued to, a public client. The ID token's `aud` is that key.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/create-db.ts';
import { type AppForClient, findAppForClient } from './clients.ts';
import { clientIdOfCode } from './kysely-adapter.ts';

function sameSecret(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Rewrites `form` (an authorization_code token request sent with `client_id` = a REST API key) so
 * that it redeems a code issued to a sibling JavaScript or native key of the same app. Leaves the
 * request as it is in every other case, for oidc-provider to answer.
 */
export async function redeemSiblingCode(db: Db, form: URLSearchParams, caller: AppForClient): Promise<void> {
  if (caller.keyKind !== 'rest_api' || form.get('grant_type') !== 'authorization_code') return;
  const code = form.get('code');
  const issuedTo = code ? await clientIdOfCode(db, code) : undefined;
  if (!issuedTo || issuedTo === caller.clientId) return;
  const sibling = await findAppForClient(db, issuedTo);
  if (!sibling || sibling.app.id !== caller.app.id || sibling.keyKind === 'rest_api') return;
  if (caller.app.client_secret_enabled) {
    const sent = form.get('client_secret');
    if (sent === null || !sameSecret(sent, caller.app.client_secret)) return;
  }
  form.set('client_id', issuedTo);
  form.delete('client_secret');
}
