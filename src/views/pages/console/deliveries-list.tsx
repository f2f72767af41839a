/**
 * The notifications of the delivery log: per notification the event, user id,
 * referrer type and state (a test carries a "Test" badge), and in a disclosure every attempt
 * with its time, HTTP status, latency, error, response excerpt and the address connected to.
 * Works without JavaScript (`<details>`).
 *
 * Times are written to the second, in the reader's zone (the yeon_tz cookie, `ctx.timeZone`):
 * attempts seconds apart (a 5 s retry) must not read as the same minute, and a developer matches
 * them against their own server's log.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn } from '../../../i18n/dates.ts';
import { hasMessage } from '../../../i18n/index.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import type { AttemptView, DeliveryView } from '../../../modules/notifications/notifications.types.ts';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm } from './console-form.tsx';
import { appPath } from './console-shell.tsx';

export function logTimeText(ctx: ViewContext, at: number): string {
  const date = formatDateIn(ctx, 'date', at);
  const time = formatDateIn(ctx, 'timeWithSeconds', at);
  return ctx.t('deliveries.time_value', { date, time });
}

/** A time of the log: date and time to the second in the reader's zone, machine-readable too. */
export function LogTime(props: { ctx: ViewContext; at: number }): SafeHtml {
  return <time datetime={new Date(props.at).toISOString()}>{logTimeText(props.ctx, props.at)}</time>;
}

const DURATION_UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** 300000 → "5 min" / "5분": the largest unit the delay is a whole number of (as configured). */
export function durationText(ctx: ViewContext, ms: number): string {
  const [unit, size] = DURATION_UNITS.find(([, size]) => ms % size === 0) ?? ['ms', 1];
  return ctx.t(`deliveries.duration.${unit}`, { n: ms / size });
}

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
            <td>
              <LogTime ctx={ctx} at={a.started_at} />
            </td>
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

/** "time (attempt 3 of 4)" while the configured schedule still has that attempt. */
function NextAttempt(props: { ctx: ViewContext; item: DeliveryView; scheduleLength: number }): SafeHtml {
  const { ctx, item } = props;
  const at = item.next_attempt_at!;
  const next = item.attempts + 1;
  const total = props.scheduleLength + 1;
  if (item.state !== 'retrying' || next > total) return <LogTime ctx={ctx} at={at} />;
  return (
    <>
      <LogTime ctx={ctx} at={at} /> {ctx.t('deliveries.item.attempt_of', { next, total })}
    </>
  );
}

function DeliveryItem(props: {
  ctx: ViewContext;
  app: AppDetail;
  item: DeliveryView;
  scheduleLength: number;
  keep: string;
}): SafeHtml {
  const { ctx, app, item } = props;
  const { t } = ctx;
  return (
    <li class="delivery" id={item.id} data-state={item.state}>
      <p>
        <strong>{t(`deliveries.state.${item.state}`)}</strong>
        {' · '}
        <code>{item.event_type}</code>
        {item.is_test ? (
          <>
            {' '}
            <mark class="badge" title={t('deliveries.item.test')}>
              {t('deliveries.item.test_badge')}
            </mark>
          </>
        ) : null}
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
        <dd>
          <LogTime ctx={ctx} at={item.created_at} />
        </dd>
        {item.next_attempt_at !== null ? (
          <>
            <dt>{t('deliveries.item.next_attempt')}</dt>
            <dd>
              <NextAttempt ctx={ctx} item={item} scheduleLength={props.scheduleLength} />
            </dd>
          </>
        ) : null}
        {item.delivered_at !== null ? (
          <>
            <dt>{t('deliveries.item.delivered')}</dt>
            <dd>
              <LogTime ctx={ctx} at={item.delivered_at} />
            </dd>
          </>
        ) : null}
        {item.failed_at !== null ? (
          <>
            <dt>{t('deliveries.item.failed')}</dt>
            <dd>
              <LogTime ctx={ctx} at={item.failed_at} />
            </dd>
          </>
        ) : null}
        {item.deletion ? (
          <>
            <dt>{t('deliveries.item.receipt')}</dt>
            <dd>
              {t('deliveries.item.receipt_value', {
                code: item.deletion.confirmation_code,
                date: logTimeText(ctx, item.deletion.confirmed_at),
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
          action={`${appPath(app.id, 'deliveries')}/${item.id}/redeliver${props.keep}`}
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
  /** how many retries the configured schedule has */
  scheduleLength: number;
  /** the filter in use as a query (`?state=failed` or ''), so a redelivery comes back to it */
  keep: string;
  /** the link to the next (older) page, when there is one */
  olderHref?: string;
  newestHref?: string;
}): SafeHtml {
  const { ctx, app, items } = props;
  const { t } = ctx;
  return (
    <section aria-labelledby="notifications" class="card">
      <h2 id="notifications">{t('deliveries.list')}</h2>
      <p class="hint">{t('deliveries.times_zone', { zone: ctx.timeZone })}</p>
      {items.length ? (
        <ul class="list deliveries">
          {items.map((item) => (
            <DeliveryItem
              ctx={ctx}
              app={app}
              item={item}
              scheduleLength={props.scheduleLength}
              keep={props.keep}
            />
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
