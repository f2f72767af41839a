/** `/developers`: the apps a person belongs to and the "create an app" form. */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { AppSummary } from '../../../modules/apps/apps.types.ts';
import { CsrfField, ErrorSummary, issuesByField, Notice } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import { AppNameFields } from './console-form.tsx';
import { AppIcon, appPath, ConsoleStyles, DeveloperNav, roleLabel } from './console-shell.tsx';

export interface CreateAppValues {
  name: string;
  company_name: string;
}

export function AppsListPage(props: {
  ctx: ViewContext;
  apps: AppSummary[];
  values?: CreateAppValues;
  issues?: FieldIssue[];
  notice?: string;
}): SafeHtml {
  const { ctx, apps, values = { name: '', company_name: '' }, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('console.apps.title')} narrow={false}>
      <ConsoleStyles />
      <DeveloperNav ctx={ctx} current="apps" />
      <h1>{t('console.apps.title')}</h1>
      <p class="lead">{t('console.apps.lead', { platform: ctx.platformName })}</p>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary t={t} issues={issues} />
      <section aria-labelledby="my-apps">
        <h2 id="my-apps" class="visually-hidden">
          {t('console.apps.list_label')}
        </h2>
        {apps.length === 0 ? (
          <p>{t('console.apps.empty')}</p>
        ) : (
          <ul class="list app-list">
            {apps.map((app) => (
              <li>
                <a href={appPath(app.id)}>
                  <AppIcon ctx={ctx} app={app} version={app.has_icon ? 1 : null} />
                  <span class="app-list-text">
                    <span class="app-name">{app.name}</span>
                    <span class="muted">
                      {app.company_name ? `${app.company_name} · ` : ''}
                      {roleLabel(ctx, app.role)}
                    </span>
                  </span>
                  <span aria-hidden="true">›</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="create-app" class="card">
        <h2 id="create-app">{t('console.apps.create')}</h2>
        <p class="hint">{t('console.apps.create_hint')}</p>
        <form method="post" action="/developers/apps" novalidate>
          <CsrfField token={ctx.csrfToken} />
          <AppNameFields t={t} values={values} by={by} />
          <button type="submit">{t('console.apps.create_submit')}</button>
        </form>
      </section>
    </Layout>
  );
}
