/**
 * `/invitations/:token`: the invited person's page. It speaks of the app, the team and a role,
 * never of tokens; it shows who invited them and what the role allows, then Accept or Decline
 * (POST + CSRF, so a link alone never makes anyone a member). Refusals are pages a person can
 * act on, never an error code.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn } from '../../i18n/dates.ts';
import type { InvitationRefusal, InvitationSummary } from '../../modules/apps/app-invitations.ts';
import { CsrfField } from '../components/form.tsx';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export function invitationPath(token: string): string {
  return `/invitations/${encodeURIComponent(token)}`;
}

export function InvitationPage(props: {
  ctx: ViewContext;
  token: string;
  invitation: InvitationSummary;
  email: string;
}): SafeHtml {
  const { ctx, invitation } = props;
  const { t } = ctx;
  const role = t(`console.role.${invitation.role}`);
  const vars = { app: invitation.app_name, inviter: invitation.inviter_nickname, platform: ctx.platformName };
  const base = invitationPath(props.token);
  return (
    <Layout ctx={ctx} title={t('invitations.page.title', vars)}>
      <h1>{t('invitations.page.title', vars)}</h1>
      <p class="lead">{t('invitations.page.lead', vars)}</p>
      <div class="card">
        <p>
          <strong>{t('invitations.page.role', { role })}</strong>
          <br />
          {t(`invitations.page.role_${invitation.role}`)}
        </p>
        <p class="muted">
          {t('invitations.page.expires', {
            date: formatDateIn(ctx, 'dateTime', invitation.expires_at),
          })}
        </p>
      </div>
      <p class="muted">{t('invitations.page.signed_in_as', { email: props.email })}</p>
      <div class="actions">
        <form method="post" action={`${base}/accept`} class="inline">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" id="accept">
            {t('invitations.page.accept')}
          </button>
        </form>
        <form method="post" action={`${base}/decline`} class="inline">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="secondary" id="decline">
            {t('invitations.page.decline')}
          </button>
        </form>
      </div>
    </Layout>
  );
}

/** For someone not signed in: log in or sign up, and come back here (safe `next`). */
export function InvitationSignInPage(props: { ctx: ViewContext; next: string }): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  const next = encodeURIComponent(props.next);
  return (
    <Layout ctx={ctx} title={t('invitations.signin.title')}>
      <h1>{t('invitations.signin.title')}</h1>
      <p class="lead">{t('invitations.signin.lead')}</p>
      <div class="actions">
        <a class="button" href={`/login?next=${next}`}>
          {t('invitations.signin.login')}
        </a>
        <a class="button secondary" href={`/signup?next=${next}`}>
          {t('invitations.signin.signup')}
        </a>
      </div>
    </Layout>
  );
}

export function InvitationRefusedPage(props: {
  ctx: ViewContext;
  reason: InvitationRefusal;
  email: string;
}): SafeHtml {
  const { ctx, reason } = props;
  const { t } = ctx;
  const title = t(`invitations.refused.${reason}.title`);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{t(`invitations.refused.${reason}.lead`, { email: props.email })}</p>
      <p>
        {reason === 'unverified_email' ? (
          <a href="/account">{t('invitations.refused.unverified_email.action')}</a>
        ) : (
          <a href="/developers">{t('invitations.to_console')}</a>
        )}
      </p>
    </Layout>
  );
}

export function InvitationDeclinedPage(props: { ctx: ViewContext }): SafeHtml {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('invitations.declined.title')}>
      <h1>{t('invitations.declined.title')}</h1>
      <p class="lead">{t('invitations.declined.lead')}</p>
    </Layout>
  );
}
