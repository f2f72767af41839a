/** Sign-up and log-in pages. */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../errors/catalogue.ts';
import { CsrfField, ErrorSummary, Field, issuesByField, Notice } from '../components/form.tsx';
import { LoginFields, NewPasswordField } from '../components/login-fields.tsx';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export interface SignUpValues {
  email?: string;
  nickname?: string;
}

export function SignUpPage(props: {
  ctx: ViewContext;
  values?: SignUpValues;
  issues?: FieldIssue[];
  message?: string;
  next?: string;
}): SafeHtml {
  const { ctx, values = {}, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('signup.title')}>
      <h1>{t('signup.title')}</h1>
      <p class="lead">{t('signup.lead', { platform: ctx.platformName })}</p>
      <ErrorSummary t={t} message={props.message} issues={issues} />
      <form method="post" action="/signup" novalidate>
        <CsrfField token={ctx.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <Field
          t={t}
          name="email"
          type="email"
          label={t('field.email')}
          value={values.email}
          issue={by.email}
          required
          autocomplete="email"
          maxlength={254}
        />
        <NewPasswordField t={t} issue={by.password} />
        <Field
          t={t}
          name="nickname"
          label={t('field.nickname')}
          value={values.nickname}
          issue={by.nickname}
          required
          autocomplete="nickname"
          maxlength={40}
        />
        <button type="submit" class="block">
          {t('signup.submit')}
        </button>
      </form>
      <p>
        <a href={props.next ? `/login?next=${encodeURIComponent(props.next)}` : '/login'}>
          {t('signup.have_account')}
        </a>
      </p>
    </Layout>
  );
}

export function LoginPage(props: {
  ctx: ViewContext;
  email?: string;
  message?: string;
  notice?: string;
  next?: string;
  rememberDays: number;
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('login.title')}>
      <h1>{t('login.title')}</h1>
      <p class="lead">{t('login.lead', { platform: ctx.platformName })}</p>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary t={t} message={props.message} />
      <form method="post" action="/login" novalidate>
        <CsrfField token={ctx.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <LoginFields t={t} email={props.email} rememberDays={props.rememberDays} />
      </form>
      <p>
        <a href={props.next ? `/signup?next=${encodeURIComponent(props.next)}` : '/signup'}>
          {t('login.no_account')}
        </a>
      </p>
    </Layout>
  );
}
