/**
 * The OAuth engine's answer while the database is unreachable: 503 with Retry-After and RFC 6749's
 * `temporarily_unavailable` (§4.1.2.1, §5.2), never oidc-provider's 500 `server_error`.
 *
 * oidc-provider catches its adapter's errors itself (lib/shared/error_handler.js), answers 500 and
 * emits `server_error` with the cause; errors thrown after it (the Kakao layer's own queries) reach
 * Koa as a bare 500. This middleware, installed first so that it runs last, turns both into 503
 * when the cause is the database (db/create-db.ts isDatabaseUnavailable). The authorization endpoint
 * cannot redirect: without the database the app's redirect URIs are unknown (RFC 6749 §4.1.2.1
 * forbids redirecting to an unverified one), so a browser gets a page in its language.
 */

import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { isDatabaseUnavailable } from '../../db/create-db.ts';
import { kakaoEnvelope, kakaoErrors } from '../../kakao/kakao-errors.ts';
import { fastifyRequestOf } from '../../oidc/oidc.plugin.ts';
import { renderDocument } from '../../views/jsx/jsx-runtime.ts';
import { ErrorPage } from '../../views/pages/error-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { RETRY_AFTER_SECONDS } from '../plugins/error-handler.plugin.ts';

const MARK = 'databaseUnavailable';

function answerUnavailable(ctx: KoaContextWithOIDC): void {
  ctx.status = 503;
  ctx.set('retry-after', String(RETRY_AFTER_SECONDS));
  ctx.set('cache-control', 'no-store');
  const request = fastifyRequestOf(ctx.req);
  const message = request?.t ? request.t('error.database_unavailable') : 'temporarily unavailable';
  if (ctx.oidc?.route === 'userinfo') {
    // /v1/oidc/userinfo is on Kakao's API host: Kakao's envelope.
    ctx.body = kakaoEnvelope(kakaoErrors.temporary());
    return;
  }
  if (request && ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.set('content-language', request.locale);
    ctx.body = renderDocument(ErrorPage({ ctx: viewContext(request), message }));
    return;
  }
  ctx.body = { error: 'temporarily_unavailable', error_description: message };
}

export function installOauthOutageAnswer(provider: Provider): void {
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: unknown) => {
    if (isDatabaseUnavailable(err)) ctx.state[MARK] = true;
  });
  provider.use(async (koaCtx, next) => {
    const ctx = koaCtx as KoaContextWithOIDC;
    try {
      await next();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      ctx.state[MARK] = true;
    }
    if (ctx.state[MARK]) answerUnavailable(ctx);
  });
}
