/**
 * The page shell: skip link, header with platform name and language switch, main landmark.
 * Mobile first (a 390-px screen is the design width); works without JavaScript.
 */
import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { ViewContext } from './view-context.ts';

export function Layout(props: {
  ctx: ViewContext;
  title: string;
  children?: Child;
  narrow?: boolean;
}): SafeHtml {
  const { ctx, title } = props;
  const { t } = ctx;
  const other = ctx.locale === 'ko' ? 'en' : 'ko';
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${ctx.platformName}`}</title>
        <link rel="stylesheet" href="/assets/yeon.css" />
        <script src="/assets/timezone.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            {ctx.platformLogoUrl ? <img src={ctx.platformLogoUrl} alt="" width="28" height="28" /> : null}
            <span>{ctx.platformName}</span>
          </a>
          <nav aria-label={t('nav.account')}>
            {ctx.nickname ? (
              <>
                <a href="/account">{t('nav.account')}</a>
                <a href="/developers">{t('nav.developers')}</a>
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <button type="submit" class="link">
                    {t('nav.logout')}
                  </button>
                </form>
              </>
            ) : (
              <a href="/login">{t('nav.login')}</a>
            )}
            <a
              href={`/lang?to=${other}&next=${encodeURIComponent(ctx.currentUrl)}`}
              lang={other}
              hreflang={other}
              aria-label={`${t('nav.language')}: ${t(`lang.${other}`)}`}
            >
              {t(`lang.${other}`)}
            </a>
          </nav>
        </header>
        <main id="main" class={props.narrow === false ? 'wide' : 'narrow'} tabindex="-1">
          {props.children}
        </main>
        <footer class="site-footer">{t('common.footer')}</footer>
      </body>
    </html>
  );
}
