/**
 * The consent page (Kakao "Consent items" and its consent screen): the app (icon, name, company), its
 * required items (checked and fixed: a disabled checkbox for the eye, a hidden input for the form),
 * its optional items (checkboxes), each with its purpose in the person's language, the privacy
 * policy link, and three submit buttons so that "agree to all" needs no JavaScript. After a
 * Disconnect the page warns that the app may still hold earlier data, since a Disconnect never told it.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { CsrfField, ErrorSummary } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import type { InteractionApp } from './login-pages.tsx';

export interface ConsentRow {
  item: string;
  purpose: string | null;
}

function AppHeader(props: { ctx: ViewContext; app: InteractionApp }): SafeHtml {
  const { ctx, app } = props;
  return (
    <div class="card">
      {app.has_icon ? (
        <img
          src={`/apps/${app.id}/icon`}
          alt={ctx.t('interaction.icon_alt', { app: app.name })}
          width="56"
          height="56"
        />
      ) : null}
      <p>
        <strong>{app.name}</strong>
      </p>
      {app.company_name ? (
        <p class="muted">{ctx.t('interaction.consent.company', { company: app.company_name })}</p>
      ) : null}
    </div>
  );
}

function ItemRow(props: { ctx: ViewContext; row: ConsentRow; fixed: boolean }): SafeHtml {
  const { ctx, row, fixed } = props;
  const id = `item-${row.item}`;
  const tag = ctx.t(fixed ? 'interaction.consent.required' : 'interaction.consent.optional');
  return (
    <div class="check">
      {fixed ? (
        <>
          <input type="checkbox" id={id} checked disabled aria-describedby={`${id}-purpose`} />
          <input type="hidden" name="item" value={row.item} />
        </>
      ) : (
        <input type="checkbox" id={id} name="item" value={row.item} aria-describedby={`${id}-purpose`} />
      )}
      <label for={id}>
        {`[${tag}] ${ctx.t(`interaction.item.${row.item}`)}`}
        <span class="hint block" id={`${id}-purpose`}>
          {row.purpose ? ctx.t('interaction.consent.purpose', { purpose: row.purpose }) : ''}
        </span>
      </label>
    </div>
  );
}

export function ConsentPage(props: {
  ctx: ViewContext;
  uid: string;
  app: InteractionApp;
  linked: boolean;
  required: ConsentRow[];
  optional: ConsentRow[];
  /** set when the last link ended with Disconnect: the date, formatted */
  disconnectedOn?: string;
  message?: string;
}): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const vars = { app: app.name, platform: ctx.platformName };
  return (
    <Layout ctx={ctx} title={t('interaction.consent.title', vars)}>
      <h1>{t('interaction.consent.title', vars)}</h1>
      <AppHeader ctx={ctx} app={app} />
      <p class="lead">
        {t(props.linked ? 'interaction.consent.lead_more' : 'interaction.consent.lead', vars)}
      </p>
      {props.disconnectedOn ? (
        <div class="alert warn" role="note" id="relink-warning">
          <p>{t('interaction.consent.relink_warning', { ...vars, date: props.disconnectedOn })}</p>
        </div>
      ) : null}
      <ErrorSummary t={t} message={props.message} />
      <form method="post" action={`/oauth/interaction/${props.uid}/consent`}>
        <CsrfField token={ctx.csrfToken} />
        {props.required.length ? (
          <fieldset>
            <legend>{t('interaction.consent.required')}</legend>
            <p class="hint">{t('interaction.consent.required_hint')}</p>
            {props.required.map((row) => (
              <ItemRow ctx={ctx} row={row} fixed />
            ))}
          </fieldset>
        ) : null}
        {props.optional.length ? (
          <fieldset>
            <legend>{t('interaction.consent.optional')}</legend>
            <p class="hint">{t('interaction.consent.optional_hint')}</p>
            {props.optional.map((row) => (
              <ItemRow ctx={ctx} row={row} fixed={false} />
            ))}
          </fieldset>
        ) : null}
        <p>
          {app.privacy_policy_url ? (
            <a href={app.privacy_policy_url} rel="noopener noreferrer" target="_blank">
              {t('interaction.consent.privacy', vars)}
            </a>
          ) : (
            <span class="muted">{t('interaction.consent.no_privacy', vars)}</span>
          )}
        </p>
        <div class="actions stack">
          {props.optional.length ? (
            <button type="submit" name="action" value="agree_all" class="block">
              {t('interaction.consent.agree_all')}
            </button>
          ) : null}
          <button
            type="submit"
            name="action"
            value="agree"
            class={props.optional.length ? 'block secondary' : 'block'}
          >
            {t('interaction.consent.submit')}
          </button>
          <button type="submit" name="action" value="cancel" class="block link">
            {t('interaction.consent.cancel')}
          </button>
        </div>
      </form>
    </Layout>
  );
}
