/**
 * Manage Connected Services (연결된 서비스 관리, as Kakao's): the list of
 * connected apps with the "Previously connected" history, and one app's detail page with its agreed
 * items and the unlink buttons Kakao's two cases allow. Mobile first, no JavaScript.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn, relativeTimeIn } from '../../../i18n/dates.ts';
import type { ConnectedApp, ListedApp } from '../../../modules/connections/connected-services.ts';
import type { AppHistory } from '../../../modules/connections/connection-history.ts';
import { Notice } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import { AppHistoryList, HISTORY_PATH, HistoryDownloadLinks } from './history-pages.tsx';

export const LIST_PATH = '/account/connected-services';
export const appPath = (appId: number) => `${LIST_PATH}/${appId}`;

export function formatDate(ctx: ViewContext, ms: number): string {
  return formatDateIn(ctx, 'date', ms);
}

export function formatDateTime(ctx: ViewContext, ms: number): string {
  return formatDateIn(ctx, 'dateTime', ms);
}

/** "Connected 3 minutes ago" for a recent connection, "Connected on December 4, 2026" after a week. */
function connectedWhen(ctx: ViewContext, ms: number): string {
  const when = relativeTimeIn(ctx, ms, ctx.now);
  return when
    ? ctx.t('connected.connected_recently', { when })
    : ctx.t('connected.connected_on', { date: formatDate(ctx, ms) });
}

/** Only http(s) links reach an href: values come from app settings or an app's own answer. */
export function safeHref(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/** Extra styles of these pages (CSP allows same-origin stylesheets only, no inline styles). */
export function ConnectedStyles(): SafeHtml {
  return <link rel="stylesheet" href="/assets/connected.css" />;
}

/** Icon, name and company: the same head on every page of the flow, so people know which app. */
export function AppHead(props: {
  ctx: ViewContext;
  app: { appId: number; name: string; companyName: string | null; hasIcon: boolean };
  size?: number;
}): SafeHtml {
  const { ctx, app } = props;
  const size = String(props.size ?? 48);
  return (
    <div class="app-head">
      {app.hasIcon ? (
        <img
          src={`/apps/${app.appId}/icon`}
          alt={ctx.t('connected.icon_alt', { app: app.name })}
          width={size}
          height={size}
        />
      ) : (
        <span class={`app-icon-blank s${size}`} aria-hidden="true">
          {app.name.slice(0, 1)}
        </span>
      )}
      <span>
        <strong>{app.name}</strong>
        {app.companyName ? (
          <span class="muted block">{ctx.t('connected.by_company', { company: app.companyName })}</span>
        ) : null}
      </span>
    </div>
  );
}

export function ConnectedListPage(props: {
  ctx: ViewContext;
  connected: ListedApp[];
  /** "Previously connected": every app with an ended connection, its whole story in one group */
  previous: AppHistory[];
  /** whether the person has any history to read or download */
  hasHistory: boolean;
  notice?: string;
}): SafeHtml {
  const { ctx, connected, previous } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('connected.title')}>
      <ConnectedStyles />
      <p>
        <a href="/account">‹ {t('nav.account')}</a>
      </p>
      <h1>{t('connected.title')}</h1>
      <p class="lead">{t('connected.lead', { platform: ctx.platformName })}</p>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {connected.length ? (
        <ul class="list" id="connected-apps">
          {connected.map((app) => (
            <li>
              <a href={appPath(app.appId)} data-app-id={String(app.appId)}>
                <span class="stack-tight">
                  <AppHead ctx={ctx} app={app} />
                  <span class="hint block">{connectedWhen(ctx, app.connectedAt)}</span>
                </span>
                <span aria-hidden="true">›</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="card">{t('connected.none')}</p>
      )}
      {previous.length ? (
        <section aria-labelledby="previous-title">
          <h2 id="previous-title">{t('connected.previous.title')}</h2>
          <p class="hint">{t('connected.previous.lead')}</p>
          <AppHistoryList ctx={ctx} groups={previous} id="previous-apps" />
        </section>
      ) : null}
      {props.hasHistory ? (
        <p>
          <a href={HISTORY_PATH} id="history-link">
            {t('history.link')} ›
          </a>
        </p>
      ) : null}
      {props.hasHistory ? <HistoryDownloadLinks ctx={ctx} /> : null}
    </Layout>
  );
}

export interface DetailItem {
  item: string;
  required: boolean;
  agreedAt: number;
  withdrawnAt: number | null;
}

export function ConnectedDetailPage(props: {
  ctx: ViewContext;
  app: ConnectedApp;
  items: DetailItem[];
  notice?: string;
}): SafeHtml {
  const { ctx, app, items } = props;
  const { t } = ctx;
  const privacy = safeHref(app.privacyPolicyUrl);
  const base = appPath(app.appId);
  return (
    <Layout ctx={ctx} title={app.name}>
      <ConnectedStyles />
      <p>
        <a href={LIST_PATH}>‹ {t('connected.back_to_list')}</a>
      </p>
      <h1 class="visually-hidden">{app.name}</h1>
      <div class="card">
        <AppHead ctx={ctx} app={app} size={56} />
        <p class="hint">{t('connected.connected_on', { date: formatDate(ctx, app.connectedAt) })}</p>
      </div>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <section aria-labelledby="items-title">
        <h2 id="items-title">{t('connected.detail.items')}</h2>
        <p class="hint">{t('connected.detail.items_lead')}</p>
        {items.length ? (
          <ul class="list" id="agreed-items">
            {items.map((i) => (
              <li data-item={i.item} class="item-row">
                <span>
                  <strong>{t(`interaction.item.${i.item}`)}</strong>{' '}
                  <span class="tag">
                    {t(i.required ? 'connected.detail.required' : 'connected.detail.optional')}
                  </span>
                  <span class="hint block">
                    {i.withdrawnAt
                      ? t('connected.detail.withdrawn_on', { date: formatDate(ctx, i.withdrawnAt) })
                      : t('connected.detail.agreed_on', { date: formatDate(ctx, i.agreedAt) })}
                  </span>
                  {i.required ? <span class="hint block">{t('connected.detail.required_hint')}</span> : null}
                </span>
                {!i.required && !i.withdrawnAt ? (
                  <a
                    class="button secondary small"
                    href={`${base}/withdraw/${i.item}`}
                    aria-label={t('connected.detail.withdraw_label', {
                      item: t(`interaction.item.${i.item}`),
                    })}
                  >
                    {t('connected.detail.withdraw')}
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('connected.detail.no_items')}</p>
        )}
        <p>
          {privacy ? (
            <a href={privacy} rel="noopener noreferrer">
              {t('connected.detail.privacy', { app: app.name })}
            </a>
          ) : (
            <span class="hint">{t('connected.detail.no_privacy')}</span>
          )}
        </p>
      </section>
      <section aria-labelledby="unlink-title">
        <h2 id="unlink-title">{t('connected.detail.unlink')}</h2>
        <p class="hint">
          {t(app.hasUnlinkCallback ? 'connected.detail.unlink_case1' : 'connected.detail.unlink_case2')}
        </p>
        <div class="actions">
          <a class="button danger" href={`${base}/delete-all`} id="delete-all">
            {t('connected.detail.delete_all')}
          </a>
          {app.hasUnlinkCallback ? null : (
            <a class="button secondary" href={`${base}/disconnect`} id="disconnect">
              {t('connected.detail.disconnect')}
            </a>
          )}
        </div>
      </section>
    </Layout>
  );
}
