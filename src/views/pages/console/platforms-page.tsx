/**
 * `/developers/apps/:appId/platforms`: Web, Android and iOS, one compact row each (the platform's
 * name, then its fields side by side on a wide screen). Manage Connected Services opens the app or
 * its store page from these (case 2: an app without an unlink callback).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import { CsrfField, Field, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { TextAreaField } from './console-form.tsx';
import { appPath, ConsoleShell } from './console-shell.tsx';

/** Form names are the service's issue field names, so errors link to their control. */
export interface PlatformsValues {
  site_urls: string;
  'android.package_name': string;
  'android.market_url': string;
  'ios.bundle_id': string;
  'ios.app_store_url': string;
}

export const PLATFORM_FIELDS = [
  'site_urls',
  'android.package_name',
  'android.market_url',
  'ios.bundle_id',
  'ios.app_store_url',
] as const satisfies ReadonlyArray<keyof PlatformsValues>;

export function platformsValuesOf(app: AppDetail): PlatformsValues {
  const p = app.platforms;
  return {
    site_urls: p.site_urls.join('\n'),
    'android.package_name': p.android?.package_name ?? '',
    'android.market_url': p.android?.market_url ?? '',
    'ios.bundle_id': p.ios?.bundle_id ?? '',
    'ios.app_store_url': p.ios?.app_store_url ?? '',
  };
}

export function PlatformsPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  values?: PlatformsValues;
  issues?: FieldIssue[];
  notice?: string;
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  const { t } = ctx;
  const v = props.values ?? platformsValuesOf(app);
  const by = issuesByField(issues);
  return (
    <ConsoleShell ctx={ctx} app={app} section="platforms" notice={props.notice} issues={issues}>
      <p class="lead">{t('console.platforms.lead')}</p>
      <form method="post" action={appPath(app.id, 'platforms')} novalidate class="editor">
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="plain platform-rows" disabled={!app.permissions.update}>
          <fieldset class="one">
            <legend>{t('console.platforms.web')}</legend>
            <TextAreaField
              t={t}
              name="site_urls"
              label={t('console.platforms.site_urls')}
              hint={t('console.platforms.site_urls_hint')}
              value={v.site_urls}
              issue={by.site_urls}
              rows={Math.min(4, Math.max(1, v.site_urls.split('\n').length))}
              mono
            />
          </fieldset>
          <fieldset>
            <legend>{t('console.platforms.android')}</legend>
            <Field
              t={t}
              name="android.package_name"
              label={t('console.platforms.android_package')}
              hint={t('console.platforms.android_package_hint')}
              value={v['android.package_name']}
              issue={by['android.package_name']}
              autocomplete="off"
            />
            <Field
              t={t}
              name="android.market_url"
              type="url"
              label={t('console.platforms.android_market_url')}
              hint={t('console.platforms.android_market_url_hint')}
              value={v['android.market_url']}
              issue={by['android.market_url']}
            />
          </fieldset>
          <fieldset>
            <legend>{t('console.platforms.ios')}</legend>
            <Field
              t={t}
              name="ios.bundle_id"
              label={t('console.platforms.ios_bundle_id')}
              value={v['ios.bundle_id']}
              issue={by['ios.bundle_id']}
              autocomplete="off"
            />
            <Field
              t={t}
              name="ios.app_store_url"
              type="url"
              label={t('console.platforms.ios_store_url')}
              value={v['ios.app_store_url']}
              issue={by['ios.app_store_url']}
            />
          </fieldset>
          {app.permissions.update ? <button type="submit">{t('common.save')}</button> : null}
        </fieldset>
      </form>
    </ConsoleShell>
  );
}
