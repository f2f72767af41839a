/**
 * `/developers/apps/:appId`: the app's dashboard (last 7 days), identifiers and credentials, then
 * the basics form.
 * Secret values arrive as null for plain members (the service hides them); this page only shows
 * what it was given, and offers actions only when `permissions` allow them.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { AppDashboard } from '../../../modules/apps/app-dashboard.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import type { ViewContext } from '../../view-context.ts';
import { BasicsSection, type BasicsValues, DeleteSection } from './basics-section.tsx';
import { ActionForm } from './console-form.tsx';
import { appPath, ConsoleShell, formatDate } from './console-shell.tsx';
import { DashboardSection } from './dashboard-section.tsx';
import { KeyRotationSection } from './key-rotation-section.tsx';

function KeysSection(props: { ctx: ViewContext; app: AppDetail }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const origins = app.login.javascript_origins;
  return (
    <section aria-labelledby="keys" class="card">
      <h2 id="keys">{t('console.keys.title')}</h2>
      <dl class="kv keys">
        <dt>{t('console.keys.app_id')}</dt>
        <dd>
          <code>{app.id}</code>
        </dd>
        <dt>{t('console.keys.rest_api')}</dt>
        <dd>
          <code>{app.keys.rest_api}</code>
          <span class="hint block">{t('console.keys.rest_api_hint')}</span>
        </dd>
        <dt>{t('console.keys.javascript')}</dt>
        <dd>
          <code>{app.keys.javascript}</code>
        </dd>
        <dt>{t('console.keys.javascript_origins')}</dt>
        <dd>
          {origins.length ? (
            <ul class="plain">
              {origins.map((o) => (
                <li>
                  <code>{o}</code>
                </li>
              ))}
            </ul>
          ) : (
            <span class="muted">{t('console.keys.javascript_origins_none')}</span>
          )}
          <a href={`${appPath(app.id, 'login')}#javascript_origins`} class="block-link">
            {t('console.keys.javascript_origins_edit')}
          </a>
        </dd>
        <dt>{t('console.keys.native')}</dt>
        <dd>
          <code>{app.keys.native}</code>
        </dd>
      </dl>
    </section>
  );
}

function AdminKeysSection(props: { ctx: ViewContext; app: AppDetail }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const canEdit = app.permissions.update;
  return (
    <section aria-labelledby="admin-keys" class="card">
      <h2 id="admin-keys">{t('console.admin.title')}</h2>
      <p class="hint" id="admin-keys-hint">
        {t('console.admin.hint')}
      </p>
      {app.permissions.see_secrets ? null : <p class="muted">{t('console.admin.hidden')}</p>}
      <ul class="list keys-list">
        {app.keys.admin.map((key, i) => (
          <li>
            <p>
              <strong>{i === 0 ? t('console.admin.current') : t('console.admin.older')}</strong>
              <span class="muted">
                {' '}
                · {t('console.admin.created', { date: formatDate(ctx, key.created_at) })}
              </span>
            </p>
            {key.key ? <code class="secret">{key.key}</code> : null}
            {canEdit && i > 0 ? (
              <ActionForm
                action={`${appPath(app.id)}/admin-keys/revoke`}
                csrfToken={ctx.csrfToken}
                label={t('console.admin.revoke')}
                hidden={{ key_id: key.id }}
                variant="danger"
              />
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <ActionForm
          action={`${appPath(app.id)}/admin-keys/rotate`}
          csrfToken={ctx.csrfToken}
          label={t('console.admin.rotate')}
          variant="secondary"
          describedBy="admin-keys-hint"
        />
      ) : null}
    </section>
  );
}

function ClientSecretSection(props: { ctx: ViewContext; app: AppDetail }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const { enabled, value } = app.client_secret;
  return (
    <section aria-labelledby="client-secret" class="card">
      <h2 id="client-secret">{t('console.secret.title')}</h2>
      <p class="hint">{t('console.secret.hint')}</p>
      <p>
        <strong>{enabled ? t('console.secret.state_on') : t('console.secret.state_off')}</strong>
      </p>
      {value ? (
        <dl class="kv">
          <dt>{t('console.secret.value')}</dt>
          <dd>
            <code class="secret">{value}</code>
          </dd>
        </dl>
      ) : null}
      {app.permissions.update ? (
        <div class="actions">
          <ActionForm
            action={`${appPath(app.id)}/client-secret`}
            csrfToken={ctx.csrfToken}
            label={enabled ? t('console.secret.turn_off') : t('console.secret.turn_on')}
            hidden={{ enabled: enabled ? '0' : '1' }}
            variant="secondary"
          />
          <ActionForm
            action={`${appPath(app.id)}/client-secret/regenerate`}
            csrfToken={ctx.csrfToken}
            label={t('console.secret.regenerate')}
            variant="secondary"
            describedBy="client-secret-regenerate-hint"
          >
            <p class="hint" id="client-secret-regenerate-hint">
              {t('console.secret.regenerate_hint')}
            </p>
          </ActionForm>
        </div>
      ) : null}
    </section>
  );
}

export function OverviewPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  notice?: string;
  /** shown on the page as opened; a form shown again after an error leaves it out */
  dashboard?: AppDashboard;
  values?: BasicsValues;
  /** field issues of the basics, icon or delete form (their field names do not overlap) */
  issues?: FieldIssue[];
  /** a refusal that is not about one field (e.g. the last admin key cannot be revoked) */
  message?: string;
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  return (
    <ConsoleShell
      ctx={ctx}
      app={app}
      section="overview"
      notice={props.notice}
      issues={issues}
      message={props.message}
    >
      {props.dashboard ? <DashboardSection ctx={ctx} dashboard={props.dashboard} /> : null}
      <KeysSection ctx={ctx} app={app} />
      <AdminKeysSection ctx={ctx} app={app} />
      <KeyRotationSection ctx={ctx} app={app} issues={issues} />
      <ClientSecretSection ctx={ctx} app={app} />
      <BasicsSection ctx={ctx} app={app} values={props.values} issues={issues} />
      {app.permissions.delete ? <DeleteSection ctx={ctx} app={app} issues={issues} /> : null}
    </ConsoleShell>
  );
}
