/**
 * `/developers/apps/:appId/consent`: the nine consent items (Kakao "Consent items") as one table,
 * one row per item: its consent level (required / optional / during use / not used) and its purpose
 * in Korean and English, saved by one form. Items not in use wait in a closed `<details>` ("add an
 * item"), so a typical app's editor fits one screen; closed or open, every row is submitted.
 * Control names are the service's issue field names (`consent_items.<item>[.purpose_ko]`), so an
 * error links straight to its control. Column headers name the controls for sighted readers; each
 * control also has its own label (visually hidden on wide screens, shown when rows stack on a
 * phone), so a screen reader announces "Email: Purpose (Korean)" and not only the column (WCAG 1.3.1).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import {
  type AppDetail,
  CONSENT_ITEMS,
  CONSENT_MODES,
  type ConsentItemId,
  LIMITS,
} from '../../../modules/apps/apps.types.ts';
import { CsrfField, type Issues, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { appPath, ConsoleShell } from './console-shell.tsx';

export type ConsentValues = Record<ConsentItemId, { mode: string; purpose_ko: string; purpose_en: string }>;

export function consentValuesOf(app: AppDetail): ConsentValues {
  const out = {} as ConsentValues;
  for (const item of CONSENT_ITEMS) {
    const c = app.consent_items.find((x) => x.item === item);
    out[item] = { mode: c?.mode ?? 'off', purpose_ko: c?.purpose_ko ?? '', purpose_en: c?.purpose_en ?? '' };
  }
  return out;
}

const MODES_HINT_ID = 'consent-modes-hint';

function describedBy(name: string, issue: FieldIssue | undefined, extra?: string): string | undefined {
  return [extra ?? '', issue ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function CellError(props: { ctx: ViewContext; name: string; issue?: FieldIssue }): SafeHtml | null {
  const { issue } = props;
  return issue ? (
    <p class="field-error" id={`${props.name}-error`}>
      {props.ctx.t(issue.message, issue.params)}
    </p>
  ) : null;
}

function PurposeCell(props: {
  ctx: ViewContext;
  item: ConsentItemId;
  lang: 'ko' | 'en';
  value: string;
  by: Issues;
}): SafeHtml {
  const { ctx, item, lang } = props;
  const { t } = ctx;
  const name = `consent_items.${item}.purpose_${lang}`;
  const issue = props.by[name];
  return (
    <td class={issue ? 'invalid' : undefined}>
      <label for={name} class="cell-label">
        {t(`console.consent.item.${item}`)}: {t(`console.consent.purpose_${lang}`)}{' '}
        <span class="muted">({t('common.optional')})</span>
      </label>
      <CellError ctx={ctx} name={name} issue={issue} />
      <input
        id={name}
        name={name}
        type="text"
        lang={lang}
        value={props.value}
        maxlength={LIMITS.purposeMax}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={describedBy(name, issue)}
      />
    </td>
  );
}

function ConsentRow(props: {
  ctx: ViewContext;
  item: ConsentItemId;
  value: ConsentValues[ConsentItemId];
  by: Issues;
}): SafeHtml {
  const { ctx, item, value, by } = props;
  const { t } = ctx;
  const name = `consent_items.${item}`;
  const issue = by[name];
  const itemName = t(`console.consent.item.${item}`);
  return (
    <tr>
      <th scope="row">{itemName}</th>
      <td class={issue ? 'invalid' : undefined}>
        <label for={name} class="cell-label">
          {itemName}: {t('console.editor.consent.col_mode')}
        </label>
        <CellError ctx={ctx} name={name} issue={issue} />
        <select
          id={name}
          name={name}
          aria-invalid={issue ? 'true' : undefined}
          aria-describedby={describedBy(name, issue, MODES_HINT_ID)}
        >
          {/* A crafted level shown again must not quietly become the first option. */}
          {(CONSENT_MODES as readonly string[]).includes(value.mode) ? null : (
            <option value="" selected>
              —
            </option>
          )}
          {CONSENT_MODES.map((mode) => (
            <option value={mode} selected={mode === value.mode}>
              {t(`console.consent.mode.${mode}`)}
            </option>
          ))}
        </select>
      </td>
      <PurposeCell ctx={ctx} item={item} lang="ko" value={value.purpose_ko} by={by} />
      <PurposeCell ctx={ctx} item={item} lang="en" value={value.purpose_en} by={by} />
    </tr>
  );
}

function ConsentTable(props: {
  ctx: ViewContext;
  caption: string;
  items: ConsentItemId[];
  values: ConsentValues;
  by: Issues;
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <table class="editor-table">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('console.editor.consent.col_item')}</th>
          <th scope="col">{t('console.editor.consent.col_mode')}</th>
          <th scope="col">{t('console.consent.purpose_ko')}</th>
          <th scope="col">{t('console.consent.purpose_en')}</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <ConsentRow ctx={ctx} item={item} value={props.values[item]} by={props.by} />
        ))}
      </tbody>
    </table>
  );
}

export function ConsentPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  values?: ConsentValues;
  issues?: FieldIssue[];
  notice?: string;
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  const { t } = ctx;
  const values = props.values ?? consentValuesOf(app);
  const by = issuesByField(issues);
  // Rows are split by what is saved, not by what was typed, so a re-shown form keeps its layout.
  const saved = consentValuesOf(app);
  const inUse = CONSENT_ITEMS.filter((item) => saved[item].mode !== 'off');
  const notUsed = CONSENT_ITEMS.filter((item) => saved[item].mode === 'off');
  // A row with an error or a new level must not hide in a closed <details>.
  const openMore =
    inUse.length === 0 ||
    notUsed.some(
      (item) =>
        values[item].mode !== 'off' || issues.some((i) => i.field.startsWith(`consent_items.${item}`)),
    );
  return (
    <ConsoleShell ctx={ctx} app={app} section="consent" notice={props.notice} issues={issues}>
      <p class="lead">{t('console.consent.lead')}</p>
      <form method="post" action={appPath(app.id, 'consent')} novalidate class="editor">
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="plain" disabled={!app.permissions.update}>
          {inUse.length ? (
            <ConsentTable
              ctx={ctx}
              caption={t('console.editor.consent.in_use')}
              items={inUse}
              values={values}
              by={by}
            />
          ) : (
            <p class="muted">{t('console.editor.consent.none_in_use')}</p>
          )}
          {notUsed.length ? (
            <details class="more" open={openMore}>
              <summary>{t('console.editor.consent.add', { count: notUsed.length })}</summary>
              <ConsentTable
                ctx={ctx}
                caption={t('console.editor.consent.not_used')}
                items={notUsed}
                values={values}
                by={by}
              />
            </details>
          ) : null}
          <p class="hint" id={MODES_HINT_ID}>
            {t('console.consent.mode.during_use')}: {t('console.consent.mode.during_use_hint')}
          </p>
          <p class="hint" id="consent-future-only">
            {t('console.consent.future_only')}
          </p>
          {app.permissions.update ? (
            <button type="submit" aria-describedby="consent-future-only">
              {t('common.save')}
            </button>
          ) : null}
        </fieldset>
      </form>
    </ConsoleShell>
  );
}
