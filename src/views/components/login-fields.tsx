/** The email, password and "keep me signed in" fields of both login forms (yeon's own and an app's). */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { Translate } from '../../i18n/index.ts';
import { Field } from './form.tsx';

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
