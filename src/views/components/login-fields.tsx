/**
 * The email, password and "keep me signed in" fields of both login forms (yeon's own and an app's),
 * and the field for choosing a new password.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../errors/catalogue.ts';
import type { Translate } from '../../i18n/index.ts';
import { describedBy, Field, FieldNotes } from './form.tsx';

export function LoginFields(props: { t: Translate; email?: string; rememberDays: number }): SafeHtml {
  const { t } = props;
  return (
    <>
      <Field
        t={t}
        name="email"
        type="email"
        label={t('field.email')}
        value={props.email}
        required
        autocomplete="username"
        maxlength={254}
      />
      <Field
        t={t}
        name="password"
        type="password"
        label={t('field.password')}
        required
        autocomplete="current-password"
      />
      <p>
        <a href="/forgot-password">{t('recovery.forgot.link')}</a>
      </p>
      <div class="check">
        <input type="checkbox" id="remember" name="remember" value="1" aria-describedby="remember-hint" />
        <label for="remember">
          {t('login.remember')}
          <span class="hint block" id="remember-hint">
            {t('login.remember_hint', { days: props.rememberDays })}
          </span>
        </label>
      </div>
      <button type="submit" class="block">
        {t('login.submit')}
      </button>
    </>
  );
}

/**
 * A new password, typed once, with a "Show password" switch instead of a second "confirm" field
 * (NIST SP 800-63B §5.1.1.2: offer to display the secret rather than ask for it twice). An input's
 * type cannot change without JavaScript, so the switch is a small script's progressive
 * enhancement (/assets/password-toggle.js): without JavaScript it stays hidden and the field is a
 * plain password field.
 */
export function NewPasswordField(props: {
  t: Translate;
  name?: string;
  label?: string;
  issue?: FieldIssue;
}): SafeHtml {
  const { t, issue } = props;
  const name = props.name ?? 'password';
  const hint = t('recovery.password_hint');
  return (
    <div class={issue ? 'field invalid' : 'field'}>
      <label for={name}>{props.label ?? t('field.password')}</label>
      <FieldNotes t={t} name={name} hint={hint} issue={issue} />
      <input
        id={name}
        name={name}
        type="password"
        required
        autocomplete="new-password"
        maxlength={256}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, issue)}
      />
      <div class="check" hidden>
        <input type="checkbox" id={`${name}-show`} data-shows={name} />
        <label for={`${name}-show`}>{t('recovery.show_password')}</label>
      </div>
      <script src="/assets/password-toggle.js" defer></script>
    </div>
  );
}
