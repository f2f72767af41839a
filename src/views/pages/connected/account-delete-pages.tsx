/**
 * Account deletion: what happens, the password again and a confirmation checkbox;
 * then a goodbye page. No JavaScript; the checkbox is checked on the server.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import { CsrfField, ErrorSummary, Field, issuesByField } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ConnectedStyles } from './connected-pages.tsx';

export function DeleteAccountPage(props: {
  ctx: ViewContext;
  connectedCount: number;
  /** names of the apps that will be told to delete what they hold (those with a way to be told) */
  toldApps: string[];
  message?: string;
  issues?: FieldIssue[];
}): SafeHtml {
  const { ctx, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('connected.delete.title')}>
      <ConnectedStyles />
      <p>
        <a href="/account">‹ {t('nav.account')}</a>
      </p>
      <h1>{t('connected.delete.title')}</h1>
      <p class="lead">{t('connected.delete.lead')}</p>
      <ErrorSummary t={t} message={props.message} issues={issues} />
      <ul class="effects">
        <li>
          {t('connected.delete.effects_unlink')}{' '}
          <strong>{t('connected.delete.effects_apps', { count: props.connectedCount })}</strong>
        </li>
        {props.toldApps.length ? (
          <li>
            {t('receipts.delete.told_heading')}
            <ul id="told-apps">
              {props.toldApps.map((name) => (
                <li>{name}</li>
              ))}
            </ul>
          </li>
        ) : null}
        <li>{t('connected.delete.effects_erase')}</li>
        <li>{t('connected.delete.effects_keep')}</li>
      </ul>
      <form method="post" action="/account/delete" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field
          t={t}
          name="password"
          type="password"
          label={t('field.password')}
          hint={t('connected.delete.password_hint')}
          issue={by.password}
          autocomplete="current-password"
          required
        />
        <div class={by.confirm ? 'field invalid' : 'field'}>
          {by.confirm ? (
            <p class="field-error" id="confirm-error">
              {t(by.confirm.message)}
            </p>
          ) : null}
          <div class="check">
            <input
              type="checkbox"
              id="confirm"
              name="confirm"
              value="1"
              aria-invalid={by.confirm ? 'true' : undefined}
              aria-describedby={by.confirm ? 'confirm-error' : undefined}
            />
            <label for="confirm">{t('connected.delete.confirm_label')}</label>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="danger" id="delete-account">
            {t('connected.delete.submit')}
          </button>
          <a class="button secondary" href="/account">
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function GoodbyePage(props: { ctx: ViewContext }): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('connected.deleted.title')}>
      <h1>{t('connected.deleted.title')}</h1>
      <p class="lead">{t('connected.deleted.lead', { platform: ctx.platformName })}</p>
      <p>
        <a class="button" href="/">
          {t('common.go_home')}
        </a>
      </p>
    </Layout>
  );
}
