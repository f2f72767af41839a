/**
 * `/developers/apps/:appId/login`: login on/off, OIDC on/off, redirect URIs, JS origins,
 * and the opt-in OAuth strictness switches (Require PKCE, Strict OAuth).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import { CsrfField, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { CheckboxField, RadioGroup, TextAreaField } from './console-form.tsx';
import { appPath, ConsoleShell } from './console-shell.tsx';

/**
 * What the form holds: lists as typed (one per line), switches as 'on' | 'off', checkboxes as
 * 'on' when checked and '' when not (a browser sends nothing for an unchecked box).
 */
export interface LoginValues {
  kakao_login_enabled: string;
  oidc_enabled: string;
  redirect_uris: string;
  logout_redirect_uris: string;
  javascript_origins: string;
  require_pkce: string;
  strict_oauth: string;
}

export function loginValuesOf(app: AppDetail): LoginValues {
  const onOff = (b: boolean) => (b ? 'on' : 'off');
  return {
    kakao_login_enabled: onOff(app.login.kakao_login_enabled),
    oidc_enabled: onOff(app.login.oidc_enabled),
    redirect_uris: app.login.redirect_uris.join('\n'),
    logout_redirect_uris: app.login.logout_redirect_uris.join('\n'),
    javascript_origins: app.login.javascript_origins.join('\n'),
    require_pkce: app.login.require_pkce ? 'on' : '',
    strict_oauth: app.login.strict_oauth ? 'on' : '',
  };
}

export function LoginSettingsPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  values?: LoginValues;
  issues?: FieldIssue[];
  notice?: string;
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  const { t } = ctx;
  const v = props.values ?? loginValuesOf(app);
  const by = issuesByField(issues);
  const onOff = [
    { value: 'on', label: t('console.login.on') },
    { value: 'off', label: t('console.login.off') },
  ];
  return (
    <ConsoleShell ctx={ctx} app={app} section="login" notice={props.notice} issues={issues}>
      <p class="lead">{t('console.login.lead', { platform: ctx.platformName })}</p>
      <form method="post" action={appPath(app.id, 'login')} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="plain" disabled={!app.permissions.update}>
          <RadioGroup
            t={t}
            name="kakao_login_enabled"
            legend={t('console.login.enabled', { platform: ctx.platformName })}
            hint={t('console.login.enabled_hint')}
            value={v.kakao_login_enabled}
            options={onOff}
            issue={by.kakao_login_enabled}
            inline
          />
          <RadioGroup
            t={t}
            name="oidc_enabled"
            legend={t('console.login.oidc')}
            hint={t('console.login.oidc_hint')}
            value={v.oidc_enabled}
            options={onOff}
            issue={by.oidc_enabled}
            inline
          />
          <TextAreaField
            t={t}
            name="redirect_uris"
            label={t('console.login.redirect_uris')}
            hint={t('console.login.redirect_uris_hint')}
            value={v.redirect_uris}
            issue={by.redirect_uris}
            rows={5}
            mono
          />
          <TextAreaField
            t={t}
            name="logout_redirect_uris"
            label={t('console.login.logout_redirect_uris')}
            hint={t('console.login.logout_redirect_uris_hint')}
            value={v.logout_redirect_uris}
            issue={by.logout_redirect_uris}
            rows={3}
            mono
          />
          <TextAreaField
            t={t}
            name="javascript_origins"
            label={t('console.login.javascript_origins')}
            hint={t('console.login.javascript_origins_hint')}
            value={v.javascript_origins}
            issue={by.javascript_origins}
            rows={3}
            mono
          />
          <fieldset id="oauth_strictness" class="radios" aria-describedby="oauth_strictness-hint">
            <legend>{t('console.login.strictness')}</legend>
            <p class="hint" id="oauth_strictness-hint">
              {t('console.login.strictness_hint')}
            </p>
            <CheckboxField
              name="require_pkce"
              label={t('console.login.require_pkce')}
              hint={t('console.login.require_pkce_hint')}
              checked={v.require_pkce === 'on'}
            />
            <CheckboxField
              name="strict_oauth"
              label={t('console.login.strict_oauth')}
              hint={t('console.login.strict_oauth_hint')}
              checked={v.strict_oauth === 'on'}
            />
          </fieldset>
          {app.permissions.update ? <button type="submit">{t('common.save')}</button> : null}
        </fieldset>
      </form>
    </ConsoleShell>
  );
}
