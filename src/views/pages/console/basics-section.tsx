/** The overview page's editable parts: basics, the icon (multipart upload) and deleting the app. */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import { CsrfField, Field, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm, AppNameFields, TextAreaField } from './console-form.tsx';
import { AppIcon, appPath } from './console-shell.tsx';

export interface BasicsValues {
  name: string;
  company_name: string;
  description: string;
  privacy_policy_url: string;
  terms_url: string;
}

export function basicsValuesOf(app: AppDetail): BasicsValues {
  return {
    name: app.name,
    company_name: app.company_name ?? '',
    description: app.description ?? '',
    privacy_policy_url: app.privacy_policy_url ?? '',
    terms_url: app.terms_url ?? '',
  };
}

function IconForm(props: { ctx: ViewContext; app: AppDetail; issue?: FieldIssue }): SafeHtml {
  const { ctx, app, issue } = props;
  const { t } = ctx;
  const canEdit = app.permissions.update;
  return (
    <div class="icon-row">
      <AppIcon ctx={ctx} app={app} version={app.icon?.updated_at} size={64} />
      {canEdit ? (
        <div class="stack">
          {/* _csrf comes first: the server checks it before reading the file (multipart-form.ts). */}
          <form method="post" action={`${appPath(app.id)}/icon`} enctype="multipart/form-data" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <div class={issue ? 'field invalid' : 'field'}>
              <label for="icon">{t('console.field.icon')}</label>
              <p class="hint" id="icon-hint">
                {t('console.field.icon_hint')}
              </p>
              {issue ? (
                <p class="field-error" id="icon-error">
                  {t(issue.message, issue.params)}
                </p>
              ) : null}
              <input
                type="file"
                id="icon"
                name="icon"
                accept="image/png,image/jpeg"
                aria-invalid={issue ? 'true' : undefined}
                aria-describedby={issue ? 'icon-hint icon-error' : 'icon-hint'}
              />
            </div>
            <button type="submit" class="secondary">
              {t('console.icon.upload')}
            </button>
          </form>
          {app.icon ? (
            <ActionForm
              action={`${appPath(app.id)}/icon/remove`}
              csrfToken={ctx.csrfToken}
              label={t('console.icon.remove')}
              variant="secondary"
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function BasicsSection(props: {
  ctx: ViewContext;
  app: AppDetail;
  values?: BasicsValues;
  issues: FieldIssue[];
}): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const v = props.values ?? basicsValuesOf(app);
  const by = issuesByField(props.issues);
  return (
    <section aria-labelledby="basics" class="card">
      <h2 id="basics">{t('console.basics.title')}</h2>
      <IconForm ctx={ctx} app={app} issue={by.icon} />
      <form method="post" action={`${appPath(app.id)}/basics`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="plain" disabled={!app.permissions.update}>
          <AppNameFields t={t} values={v} by={by} />
          <TextAreaField
            t={t}
            name="description"
            label={t('console.field.description')}
            value={v.description}
            issue={by.description}
            maxlength={1000}
          />
          <Field
            t={t}
            name="privacy_policy_url"
            type="url"
            label={t('console.field.privacy_policy_url')}
            value={v.privacy_policy_url}
            issue={by.privacy_policy_url}
          />
          <Field
            t={t}
            name="terms_url"
            type="url"
            label={t('console.field.terms_url')}
            value={v.terms_url}
            issue={by.terms_url}
          />
          {app.permissions.update ? <button type="submit">{t('common.save')}</button> : null}
        </fieldset>
      </form>
    </section>
  );
}

export function DeleteSection(props: { ctx: ViewContext; app: AppDetail; issues: FieldIssue[] }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const by = issuesByField(props.issues);
  return (
    <section aria-labelledby="delete-app" class="card danger-zone">
      <h2 id="delete-app">{t('console.delete.title')}</h2>
      <p class="hint">{t('console.delete.hint')}</p>
      <form method="post" action={`${appPath(app.id)}/delete`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field
          t={t}
          name="confirm_name"
          label={t('console.delete.confirm', { name: app.name })}
          issue={by.confirm_name}
          required
          autocomplete="off"
        />
        <button type="submit" class="danger">
          {t('console.delete.submit')}
        </button>
      </form>
    </section>
  );
}
