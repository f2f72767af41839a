/**
 * The OAuth login and account-choice pages: yeon's login form, posted to the
 * interaction, with the app named; `login_hint` prefills the email. Works without JavaScript.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { CsrfField, ErrorSummary } from '../../components/form.tsx';
import { LoginFields } from '../../components/login-fields.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';

export interface InteractionApp {
  id: number;
  name: string;
  company_name: string | null;
  privacy_policy_url: string | null;
  terms_url: string | null;
  has_icon: boolean;
}

export function InteractionLoginPage(props: {
  ctx: ViewContext;
  uid: string;
  app: InteractionApp;
  email?: string;
  message?: string;
  /** prompt=login / max_age: the password is asked again although a session exists */
  again?: boolean;
  rememberDays: number;
  signupHref: string;
}): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('interaction.login.title')}>
      <h1>{t('interaction.login.title')}</h1>
      <p class="lead">{t('interaction.login.lead', { platform: ctx.platformName, app: app.name })}</p>
      {props.again ? <p>{t('interaction.login.again', { app: app.name })}</p> : null}
      <ErrorSummary t={t} message={props.message} />
      <form method="post" action={`/oauth/interaction/${props.uid}/login`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <LoginFields t={t} email={props.email} rememberDays={props.rememberDays} />
      </form>
      <p>
        <a href={props.signupHref}>{t('interaction.login.create')}</a>
      </p>
    </Layout>
  );
}

export function SelectAccountPage(props: {
  ctx: ViewContext;
  uid: string;
  app: InteractionApp;
  nickname: string;
  email: string;
}): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('interaction.select.title')}>
      <h1>{t('interaction.select.title')}</h1>
      <p class="lead">{t('interaction.select.lead', { app: app.name })}</p>
      <form method="post" action={`/oauth/interaction/${props.uid}/select`}>
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="block">
          {t('interaction.select.continue_as', { name: props.nickname })}
        </button>
        <p class="muted">{props.email}</p>
      </form>
      <p>
        <a class="button secondary block" href={`/oauth/interaction/${props.uid}?another=1`}>
          {t('interaction.select.another')}
        </a>
      </p>
    </Layout>
  );
}
