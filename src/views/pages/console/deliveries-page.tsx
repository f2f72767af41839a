/**
 * `/developers/apps/:appId/deliveries`: the callback's state with a banner when it
 * is paused (by a person, by a 410, or automatically after 5 days of failures) and a Resume
 * button, the last success (tests included), the retry schedule as configured, "Redeliver all
 * failed", the optional JSON events, and the delivery log filtered by state and user id (a GET
 * form, so it works without JavaScript and the filtered log has a link of its own).
 * Buttons appear only for owners and admins; the service enforces it anyway.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import { OPTIONAL_EVENTS } from '../../../modules/notifications/events.ts';
import {
  DELIVERY_STATES,
  type DeliveryHealth,
  type DeliveryPage,
  type DeliveryState,
  type DeliveryStatus,
} from '../../../modules/notifications/notifications.types.ts';
import { CsrfField, Field, SelectField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm } from './console-form.tsx';
import { appPath, ConsoleShell } from './console-shell.tsx';
import { DeliveriesList, durationText, LogTime, logTimeText } from './deliveries-list.tsx';

/** The log's filter as the page was asked for it (`status` is the older link's `?status=pending`). */
export interface DeliveryFilterView {
  state?: DeliveryState;
  status?: DeliveryStatus;
  userId?: string;
}

/** The filter as a query string (`?…&` or `?`), for the form's links and the older-page link. */
export function filterQuery(filter: DeliveryFilterView): string {
  const params = new URLSearchParams();
  if (filter.state) params.set('state', filter.state);
  else if (filter.status) params.set('status', filter.status);
  if (filter.userId) params.set('user_id', filter.userId);
  const text = params.toString();
  return text ? `?${text}&` : '?';
}

function PausedBanner(props: { ctx: ViewContext; app: AppDetail; health: DeliveryHealth }): SafeHtml {
  const { ctx, app, health } = props;
  const { t } = ctx;
  const date = health.paused_at === null ? '' : logTimeText(ctx, health.paused_at);
  const message =
    health.paused_at === null
      ? t('deliveries.banner.paused')
      : t(`deliveries.banner.paused_${health.paused_reason ?? 'manual'}`, { date });
  return (
    <div class="alert warn" role="status" id="paused">
      <p>{message}</p>
      {app.permissions.update && health.callback_url ? (
        <ActionForm
          action={`${appPath(app.id, 'deliveries')}/resume`}
          csrfToken={ctx.csrfToken}
          label={t('deliveries.resume')}
          describedBy="resume-hint"
        >
          <p class="hint" id="resume-hint">
            {t('deliveries.resume_hint')}
          </p>
        </ActionForm>
      ) : null}
      <p>
        <a href={appPath(app.id, 'unlink')}>{t('deliveries.banner.settings')}</a>
      </p>
    </div>
  );
}

function HealthSection(props: { ctx: ViewContext; app: AppDetail; health: DeliveryHealth }): SafeHtml {
  const { ctx, app, health } = props;
  const { t } = ctx;
  const when = (ms: number | null) => (ms === null ? t('deliveries.never') : <LogTime ctx={ctx} at={ms} />);
  const steps = health.retry_schedule_ms;
  return (
    <section aria-labelledby="health" class="card">
      <h2 id="health">{t('deliveries.health')}</h2>
      <dl class="kv">
        <dt>{t('deliveries.health.state')}</dt>
        <dd>{t(`deliveries.health.${health.state}`)}</dd>
        <dt>{t('deliveries.health.last_success')}</dt>
        <dd>{when(health.last_success_at)}</dd>
        {health.failing_since !== null ? (
          <>
            <dt>{t('deliveries.health.failing_since')}</dt>
            <dd>
              <LogTime ctx={ctx} at={health.failing_since} />
            </dd>
          </>
        ) : null}
        <dt>{t('deliveries.health.counts')}</dt>
        <dd>{t('deliveries.health.counts_value', health.counts)}</dd>
        <dt>{t('deliveries.retry.schedule')}</dt>
        <dd id="retry-schedule">
          {steps.length
            ? t('deliveries.retry.schedule_value', {
                steps: steps.map((ms) => durationText(ctx, ms)).join(', '),
                total: steps.length + 1,
              })
            : t('deliveries.retry.none')}
          {steps.length && health.retry_jitter > 0 ? (
            <span class="hint">
              {' '}
              {t('deliveries.retry.jitter', { percent: Math.round(health.retry_jitter * 100) })}
            </span>
          ) : null}
        </dd>
      </dl>
      {app.permissions.update ? (
        <div class="row-actions">
          {health.counts.failed > 0 ? (
            <ActionForm
              action={`${appPath(app.id, 'deliveries')}/redeliver-failed`}
              csrfToken={ctx.csrfToken}
              label={t('deliveries.redeliver_all', { count: health.counts.failed })}
            />
          ) : null}
          {health.state === 'active' && health.callback_url ? (
            <ActionForm
              action={`${appPath(app.id, 'deliveries')}/pause`}
              csrfToken={ctx.csrfToken}
              label={t('deliveries.pause')}
              variant="secondary"
            />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function EventsSection(props: {
  ctx: ViewContext;
  app: AppDetail;
  health: DeliveryHealth;
  issues: FieldIssue[];
}): SafeHtml {
  const { ctx, app, health } = props;
  const { t } = ctx;
  const issue = props.issues.find((i) => i.field === 'events');
  const json = health.format === 'json';
  return (
    <section aria-labelledby="events-title" class="card">
      <h2 id="events-title">{t('deliveries.events')}</h2>
      <p class="hint" id="events-hint">
        {t('deliveries.events.hint')}
      </p>
      {json ? null : <p class="muted">{t('deliveries.events.kakao_format')}</p>}
      <form method="post" action={`${appPath(app.id, 'deliveries')}/events`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <fieldset
          id="events"
          class={issue ? 'plain invalid' : 'plain'}
          disabled={!app.permissions.update || !json}
          aria-describedby={issue ? 'events-hint events-error' : 'events-hint'}
        >
          <legend class="visually-hidden">{t('deliveries.events')}</legend>
          {issue ? (
            <p class="field-error" id="events-error">
              {t(issue.message, issue.params)}
            </p>
          ) : null}
          <div class="check">
            <input type="checkbox" id="event-user.unlinked" checked disabled />
            <label for="event-user.unlinked">{t('deliveries.event.user.unlinked')}</label>
          </div>
          {OPTIONAL_EVENTS.map((e) => (
            <div class="check">
              <input
                type="checkbox"
                id={`event-${e}`}
                name="events"
                value={e}
                checked={health.events.includes(e)}
              />
              <label for={`event-${e}`}>{t(`deliveries.event.${e}`)}</label>
            </div>
          ))}
          {app.permissions.update && json ? (
            <button type="submit">{t('deliveries.save_events')}</button>
          ) : null}
        </fieldset>
      </form>
    </section>
  );
}

function FilterForm(props: {
  ctx: ViewContext;
  app: AppDetail;
  filter: DeliveryFilterView;
  issues: FieldIssue[];
}): SafeHtml {
  const { ctx, app, filter } = props;
  const { t } = ctx;
  const base = appPath(app.id, 'deliveries');
  const filtered = Boolean(filter.state || filter.status || filter.userId);
  return (
    <section aria-labelledby="filter-title" class="card">
      <h2 id="filter-title">{t('deliveries.filter.title')}</h2>
      <form method="get" action={base} class="row-actions" novalidate>
        <SelectField
          t={t}
          name="state"
          label={t('deliveries.filter.state')}
          value={filter.state ?? ''}
          options={[
            { value: '', label: t('deliveries.filter.any_state') },
            ...DELIVERY_STATES.map((s) => ({ value: s, label: t(`deliveries.state.${s}`) })),
          ]}
        />
        <Field
          t={t}
          name="user_id"
          label={t('deliveries.filter.user_id')}
          value={filter.userId ?? ''}
          inputmode="numeric"
          maxlength={19}
          hint={t('deliveries.filter.user_id_hint')}
          issue={props.issues.find((i) => i.field === 'user_id')}
        />
        <button type="submit">{t('deliveries.filter.apply')}</button>
        {filtered ? <a href={base}>{t('deliveries.filter.clear')}</a> : null}
      </form>
    </section>
  );
}

export function DeliveriesPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  health: DeliveryHealth;
  page: DeliveryPage;
  filter: DeliveryFilterView;
  /** true on pages after the first (older notifications) */
  paged?: boolean;
  notice?: string;
  message?: string;
  issues?: FieldIssue[];
}): SafeHtml {
  const { ctx, app, health, page, filter } = props;
  const { t } = ctx;
  const base = `${appPath(app.id, 'deliveries')}${filterQuery(filter)}`;
  return (
    <ConsoleShell
      ctx={ctx}
      app={app}
      section="deliveries"
      notice={props.notice}
      message={props.message}
      issues={props.issues}
    >
      <p class="lead">{t('deliveries.log_lead')}</p>
      {health.callback_url ? null : <p class="alert warn">{t('deliveries.no_callback')}</p>}
      {health.state === 'paused' ? <PausedBanner ctx={ctx} app={app} health={health} /> : null}
      <HealthSection ctx={ctx} app={app} health={health} />
      <FilterForm ctx={ctx} app={app} filter={filter} issues={props.issues ?? []} />
      <DeliveriesList
        ctx={ctx}
        app={app}
        items={page.items}
        scheduleLength={health.retry_schedule_ms.length}
        keep={filterQuery(filter).slice(0, -1)}
        olderHref={page.next_cursor ? `${base}before=${encodeURIComponent(page.next_cursor)}` : undefined}
        newestHref={props.paged ? base.slice(0, -1) : undefined}
      />
      <EventsSection ctx={ctx} app={app} health={health} issues={props.issues ?? []} />
    </ConsoleShell>
  );
}
