/** `/account`: the profile, all optional fields editable, and the account-use menu. */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Account } from '../../db/database.ts';
import type { FieldIssue } from '../../errors/catalogue.ts';
import { formatDateIn } from '../../i18n/dates.ts';
import { AGE_RANGES, type Profile } from '../../modules/accounts/profile.ts';
import { CsrfField, ErrorSummary, Field, issuesByField, Notice, SelectField } from '../components/form.tsx';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';
import { BirthDateField, birthDateValue, ProfilePictureSection } from './account-profile-parts.tsx';
import { HistoryDownloadLinks } from './connected/history-pages.tsx';

/** Links that later features add to the "Account use" section. */
export interface AccountMenuItem {
  href: string;
  label: string;
}

export function AccountPage(props: {
  ctx: ViewContext;
  account: Account;
  /** what was typed, shown again after an error (`birth_date` is the date control's value) */
  values?: Partial<Profile> & { birth_date?: string; birthyear_private?: string };
  issues?: FieldIssue[];
  saved?: boolean;
  /** the notice after a picture upload or removal */
  picture?: 'updated' | 'removed';
  menu: AccountMenuItem[];
  /** whether the address is confirmed, an address waiting for confirmation, a mail just resent */
  email?: { verified: boolean; pendingEmail?: string; sent?: boolean };
}): SafeHtml {
  const { ctx, account, issues = [] } = props;
  const { t } = ctx;
  const v = { ...account, ...props.values };
  const by = issuesByField(issues);
  const since = formatDateIn(ctx, 'date', account.created_at);
  return (
    <Layout ctx={ctx} title={t('account.title')}>
      <h1>{t('account.title')}</h1>
      <p class="lead">
        {account.email} · {t('account.member_since', { date: since })}
      </p>
      {props.saved ? <Notice>{t('account.saved')}</Notice> : null}
      {props.picture ? (
        <Notice>
          {t(props.picture === 'updated' ? 'profile.picture.updated' : 'profile.picture.removed')}
        </Notice>
      ) : null}
      {props.email ? <EmailState ctx={ctx} email={account.email} state={props.email} /> : null}
      <ErrorSummary t={t} issues={issues} />
      {props.menu.length ? (
        <section aria-labelledby="account-use">
          <h2 id="account-use">{t('account.use')}</h2>
          <ul class="list">
            {props.menu.map((item) => (
              <li>
                <a href={item.href}>
                  <span>{item.label}</span>
                  <span aria-hidden="true">›</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {/* GDPR Art. 15 and 20: the copy of one's data is offered where one manages the account. */}
      <HistoryDownloadLinks ctx={ctx} />
      <ProfilePictureSection ctx={ctx} pictureUrl={account.profile_image_url} issue={by.picture} />
      <form method="post" action="/account" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <h2>{t('account.profile')}</h2>
        <Field
          t={t}
          name="nickname"
          label={t('field.nickname')}
          value={v.nickname}
          issue={by.nickname}
          required
          maxlength={40}
        />
        <h2>{t('account.profile_optional')}</h2>
        <p class="hint">
          {t('account.lead')} {t('account.profile_optional_hint')}
        </p>
        <Field
          t={t}
          name="name"
          label={t('field.name')}
          value={v.name}
          issue={by.name}
          autocomplete="name"
          maxlength={60}
        />
        <SelectField
          t={t}
          name="gender"
          label={t('field.gender')}
          value={v.gender}
          issue={by.gender}
          options={[
            { value: '', label: t('field.gender.none') },
            { value: 'female', label: t('field.gender.female') },
            { value: 'male', label: t('field.gender.male') },
          ]}
        />
        <BirthDateField t={t} {...birthDateValue(v)} issue={by.birth_date} />
        <SelectField
          t={t}
          name="age_range"
          label={t('field.age_range')}
          value={v.age_range}
          issue={by.age_range}
          options={[
            { value: '', label: t('field.age_range.none') },
            ...AGE_RANGES.map((r) => ({ value: r, label: r })),
          ]}
        />
        <Field
          t={t}
          name="phone_number"
          type="tel"
          label={t('field.phone_number')}
          value={v.phone_number}
          issue={by.phone_number}
          autocomplete="tel"
        />
        <button type="submit" class="block">
          {t('common.save')}
        </button>
      </form>
    </Layout>
  );
}

/** The address's confirmation state, "send again" while unconfirmed, and the way to change it. */
function EmailState(props: {
  ctx: ViewContext;
  email: string;
  state: { verified: boolean; pendingEmail?: string; sent?: boolean };
}): SafeHtml {
  const { ctx, state } = props;
  const { t } = ctx;
  return (
    <section aria-labelledby="email-state">
      <h2 id="email-state">{t('field.email')}</h2>
      {state.sent ? <Notice>{t('recovery.email.resent', { email: props.email })}</Notice> : null}
      <p>
        {props.email} · {state.verified ? t('recovery.email.verified') : t('recovery.email.unverified')}
      </p>
      {state.verified ? null : (
        <form method="post" action="/account/email/resend">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="secondary">
            {t('recovery.email.resend')}
          </button>
        </form>
      )}
      {state.pendingEmail ? (
        <p class="hint">{t('recovery.email.pending', { email: state.pendingEmail })}</p>
      ) : null}
      <p>
        <a href="/account/email">{t('recovery.email.change')}</a>
      </p>
    </section>
  );
}

export function HomePage(props: { ctx: ViewContext }): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('nav.home')}>
      <h1>{t('home.title', { platform: ctx.platformName })}</h1>
      <p class="lead">{t('home.lead', { platform: ctx.platformName })}</p>
      {ctx.nickname ? (
        <div class="actions">
          <p>{t('home.signed_in_as', { nickname: ctx.nickname })}</p>
          <a class="button" href="/account">
            {t('nav.account')}
          </a>
        </div>
      ) : (
        <div class="actions">
          <a class="button" href="/login">
            {t('nav.login')}
          </a>
          <a class="button secondary" href="/signup">
            {t('nav.signup')}
          </a>
        </div>
      )}
    </Layout>
  );
}
