/** Forgot password, reset password, email confirmation, change email and change password pages. */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../errors/catalogue.ts';
import { CsrfField, ErrorSummary, Field, issuesByField, Notice } from '../components/form.tsx';
import { NewPasswordField } from '../components/login-fields.tsx';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

interface FormState {
  issues?: FieldIssue[];
  message?: string;
}

/**
 * Asks for the address. After a submission the page is the same whatever the address, apart from
 * the CSRF token: `sent` shows the one neutral notice.
 */
export function ForgotPasswordPage(props: { ctx: ViewContext; sent?: boolean } & FormState): SafeHtml {
  const { ctx, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('recovery.forgot.title')}>
      <h1>{t('recovery.forgot.title')}</h1>
      {props.sent ? (
        <Notice>{t('recovery.forgot.sent')}</Notice>
      ) : (
        <p class="lead">{t('recovery.forgot.lead')}</p>
      )}
      <ErrorSummary t={t} message={props.message} issues={issues} />
      <form method="post" action="/forgot-password" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field
          t={t}
          name="email"
          type="email"
          label={t('field.email')}
          issue={by.email}
          required
          autocomplete="username"
          maxlength={254}
        />
        <button type="submit" class="block">
          {t('recovery.forgot.submit')}
        </button>
      </form>
      <p>
        <a href="/login">{t('nav.login')}</a>
      </p>
    </Layout>
  );
}

export function ResetPasswordPage(
  props: { ctx: ViewContext; token: string; email: string } & FormState,
): SafeHtml {
  const { ctx, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('recovery.reset.title')}>
      <h1>{t('recovery.reset.title')}</h1>
      <p class="lead">{t('recovery.reset.lead', { email: props.email })}</p>
      <ErrorSummary t={t} message={props.message} issues={issues} />
      <form method="post" action="/reset-password" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        {/* lets password managers store the new password under the right account */}
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <NewPasswordField t={t} issue={by.password} label={t('recovery.change_password.new')} />
        <button type="submit" class="block">
          {t('recovery.reset.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** A link that is unknown, used, replaced or expired: say so and offer the way to a new one. */
export function LinkInvalidPage(props: {
  ctx: ViewContext;
  retryHref: string;
  retryLabel: string;
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('recovery.verify.title')}>
      <h1>{t('recovery.link_invalid')}</h1>
      <p>
        <a class="button" href={props.retryHref}>
          {props.retryLabel}
        </a>
      </p>
    </Layout>
  );
}

/**
 * One button to confirm: opening the link shows this page, and only pressing the button uses it,
 * so a mail scanner that follows links cannot confirm an address on the person's behalf.
 */
export function VerifyEmailPage(props: { ctx: ViewContext; token: string; email: string }): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('recovery.verify.title')}>
      <h1>{t('recovery.verify.title')}</h1>
      <p class="lead">{t('recovery.verify.lead', { email: props.email })}</p>
      <form method="post" action="/verify-email">
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="block">
          {t('recovery.verify.submit')}
        </button>
      </form>
    </Layout>
  );
}

export function DonePage(props: {
  ctx: ViewContext;
  title: string;
  message: string;
  href: string;
  label: string;
}): SafeHtml {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title}>
      <h1>{props.title}</h1>
      <Notice>{props.message}</Notice>
      <p>
        <a class="button" href={props.href}>
          {props.label}
        </a>
      </p>
    </Layout>
  );
}

export function ChangePasswordPage(props: { ctx: ViewContext; done?: boolean } & FormState): SafeHtml {
  const { ctx, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('recovery.change_password.title')}>
      <h1>{t('recovery.change_password.title')}</h1>
      {props.done ? <Notice>{t('recovery.change_password.done')}</Notice> : null}
      <p class="lead">{t('recovery.change_password.lead')}</p>
      <ErrorSummary t={t} message={props.message} issues={issues} />
      <form method="post" action="/account/password" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field
          t={t}
          name="current_password"
          type="password"
          label={t('recovery.change_password.current')}
          issue={by.current_password}
          required
          autocomplete="current-password"
        />
        <NewPasswordField
          t={t}
          name="new_password"
          label={t('recovery.change_password.new')}
          issue={by.new_password}
        />
        <button type="submit" class="block">
          {t('recovery.change_password.submit')}
        </button>
      </form>
      <p>
        <a href="/account">{t('recovery.verify.continue')}</a>
      </p>
    </Layout>
  );
}

export function ChangeEmailPage(
  props: { ctx: ViewContext; currentEmail: string; newEmail?: string; sentTo?: string } & FormState,
): SafeHtml {
  const { ctx, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  return (
    <Layout ctx={ctx} title={t('recovery.change_email.title')}>
      <h1>{t('recovery.change_email.title')}</h1>
      {props.sentTo ? <Notice>{t('recovery.change_email.sent', { email: props.sentTo })}</Notice> : null}
      <p class="lead">{t('recovery.change_email.lead', { email: props.currentEmail })}</p>
      <ErrorSummary t={t} message={props.message} issues={issues} />
      <form method="post" action="/account/email" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <Field
          t={t}
          name="new_email"
          type="email"
          label={t('recovery.change_email.new_email')}
          value={props.newEmail}
          issue={by.new_email}
          required
          autocomplete="email"
          maxlength={254}
        />
        <Field
          t={t}
          name="current_password"
          type="password"
          label={t('recovery.change_password.current')}
          hint={t('recovery.change_email.password_hint')}
          issue={by.current_password}
          required
          autocomplete="current-password"
        />
        <button type="submit" class="block">
          {t('recovery.change_email.submit')}
        </button>
      </form>
      <p>
        <a href="/account">{t('recovery.verify.continue')}</a>
      </p>
    </Layout>
  );
}
