/**
 * Receipt pages: after Delete All Data (signed in) and after account deletion (by a receipt link),
 * what each app has been told and when. The status is live in two ways that need no reload:
 * /assets/receipt-live.js polls the page's `.json` twin (CSP allows no inline script), and
 * without JavaScript a `<noscript>` refresh reloads the page every 5 s. Both are present only
 * while something can still change, so a final state never keeps polling.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn } from '../../../i18n/dates.ts';
import type { Receipt, ReceiptEntry } from '../../../modules/notifications/receipt-links.ts';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ConnectedStyles, LIST_PATH } from './connected-pages.tsx';

/** How long the no-JavaScript page waits before it reloads itself (seconds). */
export const NO_SCRIPT_REFRESH_SECONDS = 5;

/** Who reads a receipt: the language, the time zone (the yeon_tz cookie) and now. */
export type ReceiptReader = Pick<ViewContext, 't' | 'locale' | 'timeZone' | 'now'>;

/** One entry in plain words, in the person's language and time zone. */
export function receiptStatusText(ctx: ReceiptReader, entry: ReceiptEntry): string {
  const { t } = ctx;
  const app = entry.appName;
  // Today's times need no date; "today" is the reader's calendar day, not the server's.
  const sameDay = (at: number) => formatDateIn(ctx, 'date', at) === formatDateIn(ctx, 'date', ctx.now);
  const when = (at: number) => formatDateIn(ctx, sameDay(at) ? 'timeWithSeconds' : 'dateTime', at);
  switch (entry.state) {
    case 'delivered':
      return t('receipts.state.delivered', {
        app,
        time: formatDateIn(ctx, 'timeWithSeconds', entry.deliveredAt ?? ctx.now),
      });
    case 'retrying':
      return t(entry.attempts === 1 ? 'receipts.state.retrying_one' : 'receipts.state.retrying', {
        app,
        count: entry.attempts,
        time: when(entry.nextAttemptAt ?? ctx.now),
      });
    case 'failed':
      return t('receipts.state.failed', { app, count: entry.attempts });
    default:
      return t('receipts.state.queued', { app });
  }
}

/** The `.json` twin of a receipt page: what the live script needs, already worded. */
export function receiptJson(ctx: ReceiptReader, receipt: Receipt) {
  return {
    final: receipt.final,
    apps: receipt.entries.map((e) => ({ state: e.state, status: receiptStatusText(ctx, e) })),
  };
}

function ReceiptStatus(props: {
  ctx: ViewContext;
  receipt: Receipt;
  heading: string;
  jsonUrl: string;
}): SafeHtml {
  const { ctx, receipt } = props;
  const live = !receipt.final;
  return (
    <section
      class="card"
      id="receipt"
      aria-labelledby="receipt-heading"
      data-receipt-json={props.jsonUrl}
      data-final={receipt.final ? 'true' : 'false'}
    >
      <h2 id="receipt-heading">{props.heading}</h2>
      <ul class="effects" aria-live="polite">
        {receipt.entries.map((entry, i) => (
          <li>
            <span id={`receipt-status-${i}`} data-state={entry.state}>
              {receiptStatusText(ctx, entry)}
            </span>
          </li>
        ))}
      </ul>
      {live ? (
        <p class="hint" id="receipt-live-note">
          {ctx.t('receipts.live_note')}
        </p>
      ) : null}
      {live ? (
        <noscript>
          <meta http-equiv="refresh" content={String(NO_SCRIPT_REFRESH_SECONDS)} />
        </noscript>
      ) : null}
      {live ? <script src="/assets/receipt-live.js" defer></script> : null}
    </section>
  );
}

/** After Delete All Data: the latest unlink of one app. */
export function UnlinkReceiptPage(props: {
  ctx: ViewContext;
  appName: string;
  receipt: Receipt;
  jsonUrl: string;
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  const vars = { app: props.appName, platform: ctx.platformName };
  return (
    <Layout ctx={ctx} title={t('receipts.unlink.title', vars)}>
      <ConnectedStyles />
      <p>
        <a href={LIST_PATH}>‹ {t('receipts.back')}</a>
      </p>
      <h1>{t('receipts.unlink.title', vars)}</h1>
      <p class="lead">{t('receipts.unlink.lead', vars)}</p>
      <ReceiptStatus
        ctx={ctx}
        receipt={props.receipt}
        heading={t('receipts.status_heading', vars)}
        jsonUrl={props.jsonUrl}
      />
    </Layout>
  );
}

/** After account deletion, opened by the receipt link: every app told, and the link to keep. */
export function DeletionReceiptPage(props: {
  ctx: ViewContext;
  receipt: Receipt;
  link: string;
  expiresAt: number;
  jsonUrl: string;
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('connected.deleted.title')}>
      <ConnectedStyles />
      <h1>{t('connected.deleted.title')}</h1>
      <p class="lead">{t('connected.deleted.lead', { platform: ctx.platformName })}</p>
      <ReceiptStatus
        ctx={ctx}
        receipt={props.receipt}
        heading={t('receipts.apps_heading')}
        jsonUrl={props.jsonUrl}
      />
      <section class="card" aria-labelledby="receipt-link-heading">
        <h2 id="receipt-link-heading">{t('receipts.link.heading')}</h2>
        <p>{t('receipts.link.lead', { date: formatDateIn(ctx, 'date', props.expiresAt) })}</p>
        <p>
          {t('receipts.link.label')}:{' '}
          <a id="receipt-link" href={props.link}>
            {props.link}
          </a>
        </p>
      </section>
      <p>
        <a class="button" href="/">
          {t('common.go_home')}
        </a>
      </p>
    </Layout>
  );
}

/** An unknown or expired receipt link (answered with 404). */
export function ReceiptLinkInvalidPage(props: { ctx: ViewContext }): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('receipts.link_invalid.title')}>
      <h1>{t('receipts.link_invalid.title')}</h1>
      <p class="lead">{t('receipts.link_invalid.lead')}</p>
      <p>
        <a class="button" href="/">
          {t('common.go_home')}
        </a>
      </p>
    </Layout>
  );
}
