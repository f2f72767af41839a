/**
 * The page shown instead of a redirect when an OAuth request names a wrong app or address
 * (RFC 6749 §4.1.2.1: an invalid client_id or redirect_uri never redirects, so yeon is no open redirect).
 * Kakao shows its KOE code on such pages (Kakao Login "Troubleshooting", KOE codes); so do we.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { Layout } from '../../views/layout.tsx';
import type { ViewContext } from '../../views/view-context.ts';

export type OauthPageCode = 'KOE001' | 'KOE004' | 'KOE006' | 'KOE007' | 'KOE101' | 'KOE201';

export function OauthErrorPage(props: { ctx: ViewContext; code: OauthPageCode }): SafeHtml {
  const { ctx, code } = props;
  return (
    <Layout ctx={ctx} title={ctx.t('oauth.error_title')} narrow>
      <h1>{ctx.t('oauth.error_title')}</h1>
      <div class="alert error" role="alert">
        <p>{ctx.t(`oauth.${code}`)}</p>
      </div>
      <p class="muted">{ctx.t('oauth.error_code', { code })}</p>
      <p>
        <a href="/">{ctx.t('common.go_home')}</a>
      </p>
    </Layout>
  );
}
