/**
 * The account page's profile picture (upload and removal, each its own form) and its date-of-birth
 * control. Both work without JavaScript: a plain file input in a multipart form, and
 * `<input type="date">`, which browsers without a date picker show as a text box.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../errors/catalogue.ts';
import type { Translate } from '../../i18n/index.ts';
import { ACCEPTED_TYPES } from '../../modules/accounts/profile-picture-images.ts';
import { thumbnailUrlOf } from '../../modules/accounts/profile-picture-urls.ts';
import { CsrfField, describedBy, FieldNotes } from '../components/form.tsx';
import type { ViewContext } from '../view-context.ts';

export function ProfilePictureSection(props: {
  ctx: ViewContext;
  pictureUrl: string | null;
  issue?: FieldIssue;
}): SafeHtml {
  const { ctx, pictureUrl, issue } = props;
  const { t } = ctx;
  const hint = t('profile.picture.hint');
  return (
    <section aria-labelledby="picture-heading">
      <h2 id="picture-heading">{t('profile.picture.heading')}</h2>
      {pictureUrl ? (
        <img
          class="avatar"
          src={thumbnailUrlOf(pictureUrl)}
          alt={t('profile.picture.alt')}
          width="110"
          height="110"
        />
      ) : (
        <p class="hint">{t('profile.picture.none')}</p>
      )}
      {/* _csrf comes first: the server checks it before reading the file (csrf.plugin.ts). */}
      <form method="post" action="/account/picture" enctype="multipart/form-data" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <div class={issue ? 'field invalid' : 'field'}>
          <label for="picture">{t('profile.picture.choose')}</label>
          <FieldNotes t={t} name="picture" hint={hint} issue={issue} />
          <input
            type="file"
            id="picture"
            name="picture"
            accept={ACCEPTED_TYPES}
            aria-invalid={issue ? 'true' : undefined}
            aria-describedby={describedBy('picture', hint, issue)}
          />
        </div>
        <button type="submit" class="secondary">
          {t('profile.picture.upload')}
        </button>
      </form>
      {pictureUrl ? (
        <form method="post" action="/account/picture/remove">
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="secondary">
            {t('profile.picture.remove')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** What the date control shows: the typed value after an error, else the saved MMDD and year. */
export function birthDateValue(v: {
  birth_date?: string;
  birthyear_private?: string;
  birthday?: string | null;
  birthyear?: string | null;
}): { date: string; yearPrivate: boolean } {
  if (v.birth_date !== undefined) return { date: v.birth_date, yearPrivate: v.birthyear_private === '1' };
  if (!v.birthday || !/^\d{4}$/.test(v.birthday)) return { date: '', yearPrivate: false };
  // A birthday kept without its year still needs one to fill a date control: 2000 is a leap
  // year, so 02-29 shows too; the ticked box says the year is not kept.
  const year = v.birthyear ?? '2000';
  return { date: `${year}-${v.birthday.slice(0, 2)}-${v.birthday.slice(2)}`, yearPrivate: !v.birthyear };
}

export function BirthDateField(props: {
  t: Translate;
  date: string;
  yearPrivate: boolean;
  issue?: FieldIssue;
}): SafeHtml {
  const { t, issue } = props;
  const hint = t('profile.birth_date.hint');
  return (
    <>
      <div class={issue ? 'field invalid' : 'field'}>
        <label for="birth_date">
          {t('profile.birth_date.label')}
          <span class="muted"> ({t('common.optional')})</span>
        </label>
        <FieldNotes t={t} name="birth_date" hint={hint} issue={issue} />
        <input
          id="birth_date"
          name="birth_date"
          type="date"
          value={props.date}
          min="1900-01-01"
          autocomplete="bday"
          aria-invalid={issue ? 'true' : undefined}
          aria-describedby={describedBy('birth_date', hint, issue)}
        />
      </div>
      <div class="check">
        <input
          type="checkbox"
          id="birthyear_private"
          name="birthyear_private"
          value="1"
          checked={props.yearPrivate}
          aria-describedby="birthyear_private-hint"
        />
        <label for="birthyear_private">
          {t('profile.birthyear_private.label')}
          <span class="hint block" id="birthyear_private-hint">
            {t('profile.birthyear_private.hint')}
          </span>
        </label>
      </div>
    </>
  );
}
