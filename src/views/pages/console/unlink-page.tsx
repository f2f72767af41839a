/**
 * `/developers/apps/:appId/unlink` (Kakao "Unlink webhook"): the unlink callback, its
 * signing secrets with rotation, the published source addresses, and "Send test notification"
 * with the result of the last test shown on the page (no JavaScript: POST → redirect → GET).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import {
  type AppDetail,
  UNLINK_FORMATS,
  UNLINK_METHODS,
  UNLINK_STATES,
} from '../../../modules/apps/apps.types.ts';
import { CsrfField, Field, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm, RadioGroup } from './console-form.tsx';
import { appPath, ConsoleShell, formatDate } from './console-shell.tsx';

export interface UnlinkValues {
  callback_url: string;
  method: string;
  state: string;
  format: string;
}

/** A test delivery as the page shows it; `error` is already in the viewer's language. */
export interface TestResultView {
  ok: boolean;
  status?: number;
  latencyMs?: number;
  error?: string;
  excerpt?: string;
}

export function unlinkValuesOf(app: AppDetail): UnlinkValues {
  const u = app.unlink;
  return { callback_url: u.callback_url ?? '', method: u.method, state: u.state, format: u.format };
}

function SecretsSection(props: { ctx: ViewContext; app: AppDetail }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  return (
    <section aria-labelledby="signing" class="card">
      <h2 id="signing">{t('console.unlink.secrets')}</h2>
      <p class="hint">{t('console.unlink.secrets_hint')}</p>
      {app.permissions.see_secrets ? null : <p class="muted">{t('console.unlink.secret_hidden')}</p>}
      <ul class="list keys-list">
        {app.unlink.webhook_secrets.map((s) => (
          <li>
            <p>
              <strong>
                {s.expires_at === null
                  ? t('console.unlink.secret_current')
                  : t('console.unlink.secret_previous', { date: formatDate(ctx, s.expires_at) })}
              </strong>
            </p>
            {s.secret ? <code class="secret">{s.secret}</code> : null}
          </li>
        ))}
      </ul>
      {app.permissions.update ? (
        <ActionForm
          action={`${appPath(app.id, 'unlink')}/rotate-secret`}
          csrfToken={ctx.csrfToken}
          label={t('console.unlink.rotate')}
          variant="secondary"
        />
      ) : null}
    </section>
  );
}

function SourceIpsSection(props: { ctx: ViewContext; ips?: string[] }): SafeHtml {
  const { t } = props.ctx;
  const ips = props.ips ?? [];
  return (
    <section aria-labelledby="source-ips" class="card">
      <h2 id="source-ips">{t('console.unlink.ips')}</h2>
      {ips.length ? (
        <>
          <p class="hint">{t('console.unlink.ips_hint')}</p>
          <ul class="plain">
            {ips.map((ip) => (
              <li>
                <code>{ip}</code>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('console.unlink.ips_none')}</p>
      )}
    </section>
  );
}

function TestSection(props: { ctx: ViewContext; app: AppDetail; result?: TestResultView }): SafeHtml {
  const { ctx, app, result } = props;
  const { t } = ctx;
  const none = t('console.unlink.result_none');
  return (
    <section aria-labelledby="test" class="card">
      <h2 id="test">{t('console.unlink.test')}</h2>
      {result ? (
        <div class={result.ok ? 'alert ok' : 'alert error'} role="status" id="test-result">
          <p>
            <strong>{t('console.unlink.result')}: </strong>
            {result.ok
              ? t('console.unlink.result_ok', { status: result.status ?? '' })
              : t('console.unlink.result_failed')}
          </p>
          <p>{t('console.unlink.result_test')}</p>
          <dl class="kv">
            <dt>{t('console.unlink.result_status')}</dt>
            <dd>{result.status ?? none}</dd>
            <dt>{t('console.unlink.result_latency')}</dt>
            <dd>
              {result.latencyMs === undefined
                ? none
                : t('console.unlink.result_ms', { ms: result.latencyMs })}
            </dd>
            <dt>{t('console.unlink.result_error')}</dt>
            <dd>{result.error ?? none}</dd>
            <dt>{t('console.unlink.result_excerpt')}</dt>
            <dd>{result.excerpt ? <pre class="excerpt">{result.excerpt}</pre> : none}</dd>
          </dl>
        </div>
      ) : null}
      {!app.permissions.send_test_notification ? null : app.unlink.callback_url ? (
        <ActionForm
          action={`${appPath(app.id, 'unlink')}/test`}
          csrfToken={ctx.csrfToken}
          label={t('console.unlink.test')}
          describedBy="test-hint"
        >
          <p class="hint" id="test-hint">
            {t('console.unlink.test_hint')}
          </p>
        </ActionForm>
      ) : (
        <p class="muted">{t('console.unlink.test_needs_url')}</p>
      )}
    </section>
  );
}

export function UnlinkPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  values?: UnlinkValues;
  issues?: FieldIssue[];
  notice?: string;
  /** a refusal that is not about one field, e.g. the test notification's cooldown */
  message?: string;
  sourceIps?: string[];
  testResult?: TestResultView;
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  const { t } = ctx;
  const v = props.values ?? unlinkValuesOf(app);
  const by = issuesByField(issues);
  return (
    <ConsoleShell
      ctx={ctx}
      app={app}
      section="unlink"
      notice={props.notice}
      issues={issues}
      message={props.message}
    >
      <p class="lead">{t('console.unlink.lead', { platform: ctx.platformName })}</p>
      <form method="post" action={appPath(app.id, 'unlink')} novalidate class="card">
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="plain" disabled={!app.permissions.update}>
          <Field
            t={t}
            name="callback_url"
            type="url"
            label={t('console.unlink.callback_url')}
            hint={t('console.unlink.callback_url_hint')}
            value={v.callback_url}
            issue={by.callback_url}
          />
          <RadioGroup
            t={t}
            name="method"
            legend={t('console.unlink.method')}
            value={v.method}
            issue={by.method}
            options={UNLINK_METHODS.map((m) => ({ value: m, label: m }))}
            inline
          />
          <RadioGroup
            t={t}
            name="state"
            legend={t('console.unlink.state')}
            value={v.state}
            issue={by.state}
            options={UNLINK_STATES.map((s) => ({ value: s, label: t(`console.unlink.state.${s}`) }))}
            inline
          />
          <RadioGroup
            t={t}
            name="format"
            legend={t('console.unlink.format')}
            value={v.format}
            issue={by.format}
            options={UNLINK_FORMATS.map((f) => ({ value: f, label: t(`console.unlink.format.${f}`) }))}
          />
          {app.permissions.update ? <button type="submit">{t('common.save')}</button> : null}
        </fieldset>
      </form>
      <TestSection ctx={ctx} app={app} result={props.testResult} />
      <SecretsSection ctx={ctx} app={app} />
      <SourceIpsSection ctx={ctx} ips={props.sourceIps} />
    </ConsoleShell>
  );
}
