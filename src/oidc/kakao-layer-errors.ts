/**
 * Kakao's OAuth error envelope `{"error","error_description","error_code":"KOE…"}` (Kakao Login
 * "Troubleshooting", KOE codes), and the HTML page for authorize errors that must not redirect.
 *
 * oidc-provider's error bodies carry a generic `error_description`; the specific cause is in
 * `err.error_detail`, which the endpoint's `*.error` event hands us before the post-middleware
 * resumes (docs/decisions/0002 "Errors"). The KOE code is chosen from (route, grant_type, cause).
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { OauthErrorPage, type OauthPageCode } from '../http/oauth/oauth-error-page.tsx';
import { translator } from '../i18n/index.ts';
import { negotiateLocale } from '../i18n/locale.ts';
import { renderDocument } from '../views/jsx/jsx-runtime.ts';
import { viewContext } from '../views/view-context.ts';
import { findAppForClient } from './clients.ts';
import { fastifyRequestOf } from './oidc.plugin.ts';

export interface OauthError {
  error: string;
  error_description?: string;
  error_detail?: string;
  message?: string;
}

export interface KakaoOauthError {
  error: string;
  error_description: string;
  error_code: string;
}

/** KOE004 (Kakao Login off) or KOE101 (no such app key) for a client oidc-provider could not find. */
async function unknownClient(db: Db, clientId: string | undefined): Promise<KakaoOauthError> {
  const found = clientId ? await findAppForClient(db, clientId) : undefined;
  if (found && !found.app.kakao_login_enabled) {
    return {
      error: 'invalid_client',
      error_description: 'kakao login is not enabled for this app',
      error_code: 'KOE004',
    };
  }
  return {
    error: 'invalid_client',
    error_description: `Not exist client_id [${clientId ?? ''}]`,
    error_code: 'KOE101',
  };
}

/** The Kakao body for an error of the token, revocation or introspection endpoint. */
export async function kakaoTokenError(
  db: Db,
  err: OauthError,
  context: { grantType?: string; clientId?: string; clientFound: boolean; code?: string },
): Promise<KakaoOauthError> {
  const detail = `${err.error_detail ?? ''} ${err.message ?? ''}`.toLowerCase();
  if (err.error === 'invalid_client') {
    if (!context.clientFound) return unknownClient(db, context.clientId);
    return { error: 'invalid_client', error_description: 'Bad client credentials', error_code: 'KOE010' };
  }
  if (err.error === 'invalid_grant' && context.grantType === 'authorization_code') {
    if (detail.includes('redirect_uri')) {
      return { error: 'invalid_grant', error_description: 'Redirect URI mismatch.', error_code: 'KOE303' };
    }
    return {
      error: 'invalid_grant',
      error_description: detail.includes('pkce')
        ? 'PKCE verification failed'
        : `authorization code not found for code=${context.code ?? ''}`,
      error_code: 'KOE320',
    };
  }
  if (err.error === 'invalid_grant' && context.grantType === 'refresh_token') {
    return {
      error: 'invalid_grant',
      error_description: 'expired_or_invalid_refresh_token',
      error_code: 'KOE322',
    };
  }
  if (err.error === 'server_error') {
    return { error: 'server_error', error_description: 'temporary error', error_code: 'KOE003' };
  }
  return {
    error: err.error,
    error_description: err.error_detail ?? err.error_description ?? err.error,
    error_code: 'KOE001',
  };
}

/** The KOE code of an authorize error that is shown on a page (no redirect). */
async function pageCode(
  db: Db,
  out: { error?: string },
  clientId: string | undefined,
): Promise<OauthPageCode> {
  switch (out.error) {
    case 'invalid_client':
      return (await unknownClient(db, clientId)).error_code as OauthPageCode;
    case 'invalid_redirect_uri':
      return 'KOE006';
    case 'unsupported_response_type':
    case 'unauthorized_client':
      return 'KOE201';
    default:
      return 'KOE001';
  }
}

/** oidc-provider's `renderError`: yeon's page in the person's language, never a redirect. */
export function createKakaoRenderError(db: Db) {
  return async (ctx: KoaContextWithOIDC, out: { error?: string }, _error: Error): Promise<void> => {
    const clientId = (ctx.oidc?.params?.client_id as string | undefined) ?? ctx.query.client_id;
    const code = await pageCode(db, out, typeof clientId === 'string' ? clientId : undefined);
    const request = fastifyRequestOf(ctx.req);
    const html = request ? OauthErrorPage({ ctx: viewContext(request), code }) : undefined;
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.set(
      'content-security-policy',
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'",
    );
    if (html) {
      ctx.set('content-language', request!.locale);
      ctx.body = renderDocument(html);
      return;
    }
    // Not reached through the mount; a plain fallback in the default language.
    const t = translator(negotiateLocale(undefined, ctx.get('accept-language'), 'ko'));
    ctx.body = `<!doctype html><title>${t('oauth.error_title')}</title><p>${t(`oauth.${code}`)}</p><p>${code}</p>`;
  };
}
