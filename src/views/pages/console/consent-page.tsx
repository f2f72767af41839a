/**
 * `/developers/apps/:appId/consent`: the nine consent items (Kakao "Consent items"),
 * each a radio group required / optional / during-use / off with a purpose in Korean and English.
 * Control names are the service's issue field names (`consent_items.<item>[.purpose_ko]`), so an
 * error links straight to its control.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import {
  type AppDetail,
  CONSENT_ITEMS,
  CONSENT_MODES,
  type ConsentItemId,
} from '../../../modules/apps/apps.types.ts';
import { CsrfField, Field, type Issues, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { RadioGroup } from './console-form.tsx';
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

function ConsentItemFields(props: {
  ctx: ViewContext;
  item: ConsentItemId;
  value: ConsentValues[ConsentItemId];
  by: Issues;
}): SafeHtml {
  const { ctx, item, value, by } = props;
  const { t } = ctx;
  const base = `consent_items.${item}`;
  return (
    <div class="card consent-item">
      <RadioGroup
        t={t}
        name={base}
        legend={t(`console.consent.item.${item}`)}
        value={value.mode}
        issue={by[base]}
        options={CONSENT_MODES.map((mode) => ({
          value: mode,
          label: t(`console.consent.mode.${mode}`),
          hint: mode === 'during_use' ? t('console.consent.mode.during_use_hint') : undefined,
        }))}
      />
      <Field
        t={t}
        name={`${base}.purpose_ko`}
        label={`${t(`console.consent.item.${item}`)}: ${t('console.consent.purpose_ko')}`}
        value={value.purpose_ko}
        issue={by[`${base}.purpose_ko`]}
        maxlength={200}
      />
      <Field
        t={t}
        name={`${base}.purpose_en`}
        label={`${t(`console.consent.item.${item}`)}: ${t('console.consent.purpose_en')}`}
        value={value.purpose_en}
        issue={by[`${base}.purpose_en`]}
        maxlength={200}
      />
    </div>
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
  return (
    <ConsoleShell ctx={ctx} app={app} section="consent" notice={props.notice} issues={issues}>
      <p class="lead">{t('console.consent.lead')}</p>
      <p class="alert warn" id="consent-future-only">
        {t('console.consent.future_only')}
      </p>
      <form method="post" action={appPath(app.id, 'consent')} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <fieldset class="plain" disabled={!app.permissions.update}>
          {CONSENT_ITEMS.map((item) => (
            <ConsentItemFields ctx={ctx} item={item} value={values[item]} by={by} />
          ))}
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
