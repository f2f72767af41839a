/**
 * The notifications of the delivery log: per notification the event, user id,
 * referrer type and status, and in a disclosure every attempt with its time, HTTP status,
 * latency, error and response excerpt. Works without JavaScript (`<details>`).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { hasMessage } from '../../../i18n/index.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import type { AttemptView, DeliveryView } from '../../../modules/notifications/notifications.types.ts';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm } from './console-form.tsx';
import { appPath, formatDate } from './console-shell.tsx';

/** A delivery error in the viewer's language when the console knows it, else the stable code. */
function errorText(ctx: ViewContext, a: AttemptView): string {
  if (!a.error) return ctx.t('deliveries.attempt.ok');
  const key = `console.unlink.error.${a.error}`;
  const text = hasMessage(key) ? ctx.t(key) : a.error;
  return a.detail ? `${text} (${a.detail})` : text;
}

function AttemptsTable(props: { ctx: ViewContext; item: DeliveryView }): SafeHtml {
  const { ctx, item } = props;
  const { t } = ctx;
  if (item.attempt_log.length === 0) return <p class="muted">{t('deliveries.attempts.none')}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('deliveries.attempt.number')}</th>
          <th scope="col">{t('deliveries.attempt.time')}</th>
          <th scope="col">{t('deliveries.attempt.status')}</th>
          <th scope="col">{t('deliveries.attempt.latency')}</th>
          <th scope="col">{t('deliveries.attempt.error')}</th>
          <th scope="col">{t('deliveries.attempt.excerpt')}</th>
          <th scope="col">{t('deliveries.attempt.address')}</th>
        </tr>
      </thead>
      <tbody>
        {item.attempt_log.map((a) => (
          <tr>
            <td>{a.attempt}</td>
            <td>{formatDate(ctx, a.started_at)}</td>
            <td>{a.status_code ?? '—'}</td>
            <td>{t('deliveries.attempt.latency_ms', { ms: a.latency_ms })}</td>
            <td>{errorText(ctx, a)}</td>
            <td>{a.response_excerpt ? <pre class="excerpt">{a.response_excerpt}</pre> : '—'}</td>
            <td>{a.remote_address ? <code>{a.remote_address}</code> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function eventLabel(ctx: ViewContext, type: string): string {
  const key = `deliveries.event.${type}`;
  return hasMessage(key) ? ctx.t(key) : type;
}

function DeliveryItem(props: { ctx: ViewContext; app: AppDetail; item: DeliveryView }): SafeHtml {
  const { ctx, app, item } = props;
  const { t } = ctx;
  return (
    <li class="delivery" id={item.id}>
      <p>
        <strong>{t(`deliveries.status.${item.status}`)}</strong>
        {' · '}
        <code>{item.event_type}</code>
        {item.is_test ? <span class="muted"> · {t('deliveries.item.test')}</span> : null}
      </p>
      <dl class="kv">
        <dt>{t('deliveries.item.event')}</dt>
        <dd>{eventLabel(ctx, item.event_type)}</dd>
        <dt>{t('deliveries.item.user_id')}</dt>
        <dd>
          <code>{item.app_user_id}</code>
        </dd>
        <dt>{t('deliveries.item.referrer_type')}</dt>
        <dd>{item.referrer_type ? <code>{item.referrer_type}</code> : '—'}</dd>
        <dt>{t('deliveries.item.created')}</dt>
        <dd>{formatDate(ctx, item.created_at)}</dd>
        {item.next_attempt_at !== null ? (
          <>
            <dt>{t('deliveries.item.next_attempt')}</dt>
            <dd>{formatDate(ctx, item.next_attempt_at)}</dd>
          </>
        ) : null}
        {item.delivered_at !== null ? (
          <>
            <dt>{t('deliveries.item.delivered')}</dt>
            <dd>{formatDate(ctx, item.delivered_at)}</dd>
          </>
        ) : null}
        {item.failed_at !== null ? (
          <>
            <dt>{t('deliveries.item.failed')}</dt>
            <dd>{formatDate(ctx, item.failed_at)}</dd>
          </>
        ) : null}
        {item.deletion ? (
          <>
            <dt>{t('deliveries.item.receipt')}</dt>
            <dd>
              {t('deliveries.item.receipt_value', {
                code: item.deletion.confirmation_code,
                date: formatDate(ctx, item.deletion.confirmed_at),
              })}
            </dd>
          </>
        ) : null}
        <dt>{t('deliveries.item.webhook_id')}</dt>
        <dd>
          <code>{item.id}</code>
        </dd>
      </dl>
      <details>
        <summary>{t('deliveries.attempts', { count: item.attempt_log.length })}</summary>
        <AttemptsTable ctx={ctx} item={item} />
      </details>
      {item.status === 'failed' && !item.is_test && app.permissions.update ? (
        <ActionForm
          action={`${appPath(app.id, 'deliveries')}/${item.id}/redeliver`}
          csrfToken={ctx.csrfToken}
          label={t('deliveries.redeliver')}
          variant="secondary"
        />
      ) : null}
    </li>
  );
}

export function DeliveriesList(props: {
  ctx: ViewContext;
  app: AppDetail;
  items: DeliveryView[];
  /** the link to the next (older) page, when there is one */
  olderHref?: string;
  newestHref?: string;
}): SafeHtml {
  const { ctx, app, items } = props;
  const { t } = ctx;
  return (
    <section aria-labelledby="notifications" class="card">
      <h2 id="notifications">{t('deliveries.list')}</h2>
      {items.length ? (
        <ul class="list deliveries">
          {items.map((item) => (
            <DeliveryItem ctx={ctx} app={app} item={item} />
          ))}
        </ul>
      ) : (
        <p class="muted">{t('deliveries.empty')}</p>
      )}
      <p class="actions">
        {props.newestHref ? <a href={props.newestHref}>{t('deliveries.newest')}</a> : null}
        {props.olderHref ? <a href={props.olderHref}>{t('deliveries.older')}</a> : null}
      </p>
    </section>
  );
}
