/**
 * Form pieces the console needs beyond components/form.tsx: a multi-line field (one URL per line),
 * a radio group in a fieldset with a legend, a labelled checkbox, and a form that is only a button
 * (POST + CSRF).
 * Errors are tied to their control with aria-describedby by the same helpers as components/form.tsx.
 */
import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { Translate } from '../../../i18n/index.ts';
import { CsrfField, describedBy, Field, FieldNotes } from '../../components/form.tsx';

export function TextAreaField(props: {
  t: Translate;
  name: string;
  label: string;
  value?: string | null;
  hint?: string;
  issue?: FieldIssue;
  rows?: number;
  maxlength?: number;
  disabled?: boolean;
  mono?: boolean;
}): SafeHtml {
  const { t, name, issue, hint } = props;
  return (
    <div class={issue ? 'field invalid' : 'field'}>
      <label for={name}>
        {props.label} <span class="muted">({t('common.optional')})</span>
      </label>
      <FieldNotes t={t} name={name} hint={hint} issue={issue} />
      <textarea
        id={name}
        name={name}
        rows={props.rows ?? 4}
        maxlength={props.maxlength}
        class={props.mono ? 'mono' : undefined}
        spellcheck={props.mono ? 'false' : undefined}
        autocapitalize={props.mono ? 'off' : undefined}
        disabled={props.disabled}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, issue)}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: string;
  hint?: string;
}

/** A radio group: fieldset + legend name the group, each option is a labelled radio (WCAG 1.3.1). */
export function RadioGroup(props: {
  t: Translate;
  name: string;
  /** id of the fieldset, the target of the error summary's link; defaults to `name` */
  id?: string;
  legend: string;
  value: string;
  options: RadioOption[];
  hint?: string;
  issue?: FieldIssue;
  disabled?: boolean;
  inline?: boolean;
}): SafeHtml {
  const { t, name, issue, hint } = props;
  const id = props.id ?? name;
  return (
    <fieldset
      id={id}
      class={issue ? 'radios invalid' : 'radios'}
      aria-describedby={describedBy(id, hint, issue)}
      disabled={props.disabled}
    >
      <legend>{props.legend}</legend>
      <FieldNotes t={t} name={id} hint={hint} issue={issue} />
      <div class={props.inline ? 'options inline' : 'options'}>
        {props.options.map((o) => {
          const optionId = `${id}-${o.value}`;
          return (
            <div class="check">
              <input
                type="radio"
                id={optionId}
                name={name}
                value={o.value}
                checked={o.value === props.value}
              />
              <label for={optionId}>
                {o.label}
                {/* Inside the label, so it is part of the option's name and read with it. */}
                {o.hint ? <span class="hint block">{o.hint}</span> : null}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/**
 * A checkbox with its label and a one-line hint. A browser sends nothing for an unchecked box
 * (HTML, form submission: "constructing the entry list"), so the route must read absence as off.
 */
export function CheckboxField(props: {
  name: string;
  label: string;
  checked: boolean;
  hint?: string;
}): SafeHtml {
  const { name, hint } = props;
  return (
    <div class="check">
      <input type="checkbox" id={name} name={name} value="on" checked={props.checked} />
      <label for={name}>
        {props.label}
        {/* Inside the label, as in RadioGroup, so it is read with the checkbox's name. */}
        {hint ? <span class="hint block">{hint}</span> : null}
      </label>
    </div>
  );
}

/** A POST form that is only a button (rotate, revoke, remove …), with hidden fields and CSRF. */
export function ActionForm(props: {
  action: string;
  csrfToken: string;
  label: string;
  hidden?: Record<string, string>;
  variant?: 'secondary' | 'danger';
  describedBy?: string;
  children?: Child;
}): SafeHtml {
  return (
    <form method="post" action={props.action} class="action">
      <CsrfField token={props.csrfToken} />
      {Object.entries(props.hidden ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      {props.children}
      <button type="submit" class={props.variant} aria-describedby={props.describedBy}>
        {props.label}
      </button>
    </form>
  );
}

/** The app's name and company fields, the same on "Create app" and on the app's basic settings. */
export function AppNameFields(props: {
  t: Translate;
  values: { name: string; company_name: string };
  by: Record<string, FieldIssue | undefined>;
}): SafeHtml {
  const { t, values, by } = props;
  return (
    <>
      <Field
        t={t}
        name="name"
        label={t('console.field.name')}
        value={values.name}
        issue={by.name}
        required
        maxlength={50}
      />
      <Field
        t={t}
        name="company_name"
        label={t('console.field.company_name')}
        value={values.company_name}
        issue={by.company_name}
        autocomplete="organization"
        maxlength={100}
      />
    </>
  );
}
