/** Accessible form pieces: labels bound to inputs, errors tied with aria-describedby, a summary on top. */
import { type Child, raw, type SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../errors/catalogue.ts';
import type { Translate } from '../../i18n/index.ts';

export type Issues = Record<string, FieldIssue | undefined>;

export function issuesByField(list: FieldIssue[]): Issues {
  const out: Issues = {};
  for (const issue of list) out[issue.field] ??= issue;
  return out;
}

export function CsrfField(props: { token: string }): SafeHtml {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function ErrorSummary(props: { t: Translate; message?: string; issues?: FieldIssue[] }): SafeHtml {
  const { t, message, issues = [] } = props;
  if (!message && issues.length === 0) return raw('');
  return (
    <div class="alert error" role="alert" tabindex="-1" id="error-summary">
      <p>{message ?? t('error.validation_failed')}</p>
      {issues.length ? (
        <ul>
          {issues.map((i) => (
            <li>
              <a href={`#${i.field}`}>{t(i.message, i.params)}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice(props: { children?: Child }): SafeHtml {
  return (
    <div class="alert ok" role="status">
      {props.children}
    </div>
  );
}

interface FieldProps {
  t: Translate;
  name: string;
  label: string;
  type?: string;
  value?: string | null;
  issue?: FieldIssue;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: string;
  maxlength?: number;
}

/** The ids of a control's hint and error, for its aria-describedby (WCAG 1.3.1, 3.3.1). */
export function describedBy(name: string, hint?: string, issue?: FieldIssue): string | undefined {
  return [hint ? `${name}-hint` : '', issue ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** A control's hint and error, with the ids `describedBy` names. */
export function FieldNotes(props: {
  t: Translate;
  name: string;
  hint?: string;
  issue?: FieldIssue;
}): SafeHtml {
  const { t, name, hint, issue } = props;
  return (
    <>
      {hint ? (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {issue ? (
        <p class="field-error" id={`${name}-error`}>
          {t(issue.message, issue.params)}
        </p>
      ) : null}
    </>
  );
}

export function Field(props: FieldProps): SafeHtml {
  const { t, name, issue, hint } = props;
  const described = describedBy(name, hint, issue);
  return (
    <div class={issue ? 'field invalid' : 'field'}>
      <label for={name}>
        {props.label}
        {props.required ? null : <span class="muted"> ({t('common.optional')})</span>}
      </label>
      <FieldNotes t={t} name={name} hint={hint} issue={issue} />
      <input
        id={name}
        name={name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : (props.value ?? undefined)}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={described}
      />
    </div>
  );
}

export function SelectField(props: {
  t: Translate;
  name: string;
  label: string;
  value?: string | null;
  options: Array<{ value: string; label: string }>;
  issue?: FieldIssue;
}): SafeHtml {
  const { t, name, issue } = props;
  return (
    <div class={issue ? 'field invalid' : 'field'}>
      <label for={name}>
        {props.label} <span class="muted">({t('common.optional')})</span>
      </label>
      {issue ? (
        <p class="field-error" id={`${name}-error`}>
          {t(issue.message, issue.params)}
        </p>
      ) : null}
      <select
        id={name}
        name={name}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={issue ? `${name}-error` : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === (props.value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
