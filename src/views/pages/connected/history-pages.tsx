/**
 * The person's history with each app, told in words: one group per app with its icon, the events
 * newest first, a repeated event once with its count. Used by "Previously connected" on Manage
 * Connected Services and by the history page, which also offers the download (GDPR Art. 15, 20).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { AppHistory, HistoryEvent } from '../../../modules/connections/connection-history.ts';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import {
  AppHead,
  ConnectedStyles,
  formatDate,
  formatDateTime,
  LIST_PATH,
  safeHref,
} from './connected-pages.tsx';

export const HISTORY_PATH = '/account/history';
export const historyDownloadPath = (format: 'json' | 'csv') => `${HISTORY_PATH}/download.${format}`;

function eventWords(ctx: ViewContext, app: AppHistory, e: HistoryEvent): string {
  const { t } = ctx;
  const items = (list: string[]) =>
    list.map((i) => t(`interaction.item.${i}`)).join(t('history.item_separator'));
  switch (e.kind) {
    case 'linked_first':
      return t('history.event.linked_first', { app: app.name });
    case 'linked_again':
      return t('history.event.linked_again');
    case 'agreed':
      return t('history.event.agreed', { items: items(e.items) });
    case 'withdrawn':
      return t('history.event.withdrawn', { items: items(e.items) });
    case 'unlinked':
      return t(`history.event.unlinked.${e.by}`);
  }
}

/** What the app was told of an unlink, and its deletion receipt when it sent one. */
function UnlinkNotice(props: {
  ctx: ViewContext;
  event: Extract<HistoryEvent, { kind: 'unlinked' }>;
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  const n = props.event.notification;
  const statusUrl = safeHref(n?.deletionStatusUrl);
  return (
    <>
      <span class="hint block" data-notification={n ? n.state : 'none'}>
        {!n
          ? t('connected.notification.none')
          : n.state === 'delivered' && n.deliveredAt
            ? t('connected.notification.delivered', { date: formatDateTime(ctx, n.deliveredAt) })
            : t(`connected.notification.${n.state}`)}
      </span>
      {n?.deletionConfirmedAt ? (
        <span class="hint block" data-receipt="confirmed">
          {n.deletionConfirmationCode
            ? t('connected.notification.code', { code: n.deletionConfirmationCode })
            : null}
          {statusUrl ? (
            <>
              {n.deletionConfirmationCode ? ' · ' : null}
              <a href={statusUrl} rel="noopener noreferrer">
                {t('connected.notification.status_link')}
              </a>
            </>
          ) : null}
        </span>
      ) : null}
    </>
  );
}

function AppHistoryGroup(props: { ctx: ViewContext; app: AppHistory }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  return (
    <li class="stack history-group" data-app-id={String(app.appId)}>
      <div class="history-head">
        <AppHead ctx={ctx} app={app} size={40} />
        {app.linkedNow ? <span class="tag">{t('history.connected_now')}</span> : null}
      </div>
      <ol class="history-events">
        {app.events.map((e) => (
          <li data-event={e.kind} data-count={String(e.count)}>
            <span class="block">
              {eventWords(ctx, app, e)}
              {' · '}
              {e.count > 1
                ? t('history.repeated', { count: e.count, date: formatDate(ctx, e.at) })
                : formatDate(ctx, e.at)}
              {e.kind === 'unlinked' && e.notification?.deletionConfirmedAt
                ? ` — ${t('history.confirmed', { date: formatDateTime(ctx, e.notification.deletionConfirmedAt) })}`
                : null}
            </span>
            {e.kind === 'unlinked' ? <UnlinkNotice ctx={ctx} event={e} /> : null}
          </li>
        ))}
      </ol>
    </li>
  );
}

export function AppHistoryList(props: { ctx: ViewContext; groups: AppHistory[]; id: string }): SafeHtml {
  return (
    <ul class="list" id={props.id}>
      {props.groups.map((app) => (
        <AppHistoryGroup ctx={props.ctx} app={app} />
      ))}
    </ul>
  );
}

export function HistoryDownloadLinks(props: { ctx: ViewContext }): SafeHtml {
  const { t } = props.ctx;
  return (
    <section aria-labelledby="download-title" class="card">
      <h2 id="download-title">{t('history.download.title')}</h2>
      <p class="hint">{t('history.download.lead')}</p>
      <div class="actions">
        <a class="button secondary" href={historyDownloadPath('json')} id="download-json" download>
          {t('history.download.json')}
        </a>
        <a class="button secondary" href={historyDownloadPath('csv')} id="download-csv" download>
          {t('history.download.csv')}
        </a>
      </div>
    </section>
  );
}

export function ConnectionHistoryPage(props: { ctx: ViewContext; groups: AppHistory[] }): SafeHtml {
  const { ctx, groups } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('history.title')}>
      <ConnectedStyles />
      <p>
        <a href={LIST_PATH}>‹ {t('connected.back_to_list')}</a>
      </p>
      <h1>{t('history.title')}</h1>
      <p class="lead">{t('history.lead')}</p>
      {groups.length ? (
        <AppHistoryList ctx={ctx} groups={groups} id="app-history" />
      ) : (
        <p class="card">{t('history.none')}</p>
      )}
      <HistoryDownloadLinks ctx={ctx} />
    </Layout>
  );
}
