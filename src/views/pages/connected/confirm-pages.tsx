/**
 * The confirmation pages of Manage Connected Services (as Kakao's): each says
 * exactly what will happen, then one POST button does it. Withdrawing or unlinking takes one
 * confirmation, like consenting took one button.
 */
import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { ConnectedApp } from '../../../modules/connections/connected-services.ts';
import { CsrfField } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import { AppHead, appPath, ConnectedStyles } from './connected-pages.tsx';

function Shell(props: { ctx: ViewContext; app: ConnectedApp; title: string; children?: Child }): SafeHtml {
  const { ctx, app } = props;
  return (
    <Layout ctx={ctx} title={props.title}>
      <ConnectedStyles />
      <p>
        <a href={appPath(app.appId)}>‹ {ctx.t('connected.back_to_app', { app: app.name })}</a>
      </p>
      <div class="card">
        <AppHead ctx={ctx} app={app} />
      </div>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

function ConfirmForm(props: {
  ctx: ViewContext;
  action: string;
  label: string;
  cancelHref: string;
  id: string;
  danger?: boolean;
}): SafeHtml {
  const { ctx } = props;
  return (
    <form method="post" action={props.action}>
      <CsrfField token={ctx.csrfToken} />
      <div class="actions">
        <button type="submit" class={props.danger ? 'danger' : ''} id={props.id}>
          {props.label}
        </button>
        <a class="button secondary" href={props.cancelHref}>
          {ctx.t('common.cancel')}
        </a>
      </div>
    </form>
  );
}

export function WithdrawConfirmPage(props: { ctx: ViewContext; app: ConnectedApp; item: string }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const item = t(`interaction.item.${props.item}`);
  const vars = { app: app.name, item };
  return (
    <Shell ctx={ctx} app={app} title={t('connected.withdraw.title')}>
      <p class="lead">{t('connected.withdraw.lead', vars)}</p>
      <p>{t('connected.withdraw.effects', vars)}</p>
      <ConfirmForm
        ctx={ctx}
        id="confirm-withdraw"
        action={`${appPath(app.appId)}/withdraw/${props.item}`}
        label={t('connected.withdraw.confirm')}
        cancelHref={appPath(app.appId)}
      />
    </Shell>
  );
}

/** Case 1: the app has an unlink callback; the unlink happens now, whatever the app answers. */
export function DeleteAllConfirmPage(props: { ctx: ViewContext; app: ConnectedApp }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const vars = { app: app.name, platform: ctx.platformName };
  return (
    <Shell ctx={ctx} app={app} title={t('connected.delete_all.title')}>
      <p class="lead">{t('connected.delete_all.lead', vars)}</p>
      <ul class="effects">
        <li>{t('connected.delete_all.effect_now', vars)}</li>
        <li>{t('connected.delete_all.effect_notice', vars)}</li>
        <li>{t('connected.delete_all.effect_no_wait', vars)}</li>
        <li>{t('receipts.delete_all.effect_page', vars)}</li>
      </ul>
      <ConfirmForm
        ctx={ctx}
        id="confirm-delete-all"
        danger
        action={`${appPath(app.appId)}/delete-all`}
        label={t('connected.delete_all.confirm')}
        cancelHref={appPath(app.appId)}
      />
    </Shell>
  );
}

/**
 * Case 2, Delete All Data: the platform cannot notify the app, so the page asks the person to
 * leave the service in person, with a button that opens the app (or no button when the app set up
 * nothing to open), and offers to disconnect now.
 */
export function LeaveInPersonPage(props: {
  ctx: ViewContext;
  app: ConnectedApp;
  openUrl: string | undefined;
}): SafeHtml {
  const { ctx, app, openUrl } = props;
  const { t } = ctx;
  const vars = { app: app.name, platform: ctx.platformName };
  return (
    <Shell ctx={ctx} app={app} title={t('connected.leave.title', vars)}>
      <p class="lead">{t('connected.leave.lead', vars)}</p>
      <p>{t('connected.leave.how', vars)}</p>
      {openUrl ? (
        <p>
          <a class="button block" id="open-app" href={openUrl} rel="noopener noreferrer">
            {t('connected.leave.open', vars)}
          </a>
        </p>
      ) : (
        <p class="alert warn">{t('connected.leave.no_platform', vars)}</p>
      )}
      <section aria-labelledby="disconnect-now" class="card">
        <h2 id="disconnect-now">{t('connected.leave.disconnect_title')}</h2>
        <p>{t('connected.leave.disconnect_lead', vars)}</p>
        <ConfirmForm
          ctx={ctx}
          id="confirm-disconnect"
          action={`${appPath(app.appId)}/disconnect`}
          label={t('connected.disconnect.confirm')}
          cancelHref={appPath(app.appId)}
        />
      </section>
    </Shell>
  );
}

/** Case 2, Disconnect: the link ends, the app keeps what it has (and is not told). */
export function DisconnectConfirmPage(props: { ctx: ViewContext; app: ConnectedApp }): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const vars = { app: app.name, platform: ctx.platformName };
  return (
    <Shell ctx={ctx} app={app} title={t('connected.disconnect.title')}>
      <p class="lead">{t('connected.disconnect.lead', vars)}</p>
      <ul class="effects">
        <li>{t('connected.disconnect.effect_now', vars)}</li>
        <li>
          <strong>{t('connected.disconnect.effect_keeps', vars)}</strong>
        </li>
        <li>{t('connected.disconnect.effect_relink', vars)}</li>
      </ul>
      <ConfirmForm
        ctx={ctx}
        id="confirm-disconnect"
        danger
        action={`${appPath(app.appId)}/disconnect`}
        label={t('connected.disconnect.confirm')}
        cancelHref={appPath(app.appId)}
      />
    </Shell>
  );
}
