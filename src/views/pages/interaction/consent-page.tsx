/**
 * The consent page, laid out as Kakao's consent screen is (Kakao Developers "Consent items"): the
 * app (icon, name, company) at the top, one sentence saying what is asked, an "agree to all" row,
 * the items with [Required]/[Optional] and what each is for, required first, the app's privacy
 * policy and terms, then Cancel and Agree side by side and the same size, so that saying no is as
 * easy as saying yes.
 *
 * It works without JavaScript: required items are a disabled checkbox for the eye and a hidden
 * input for the form (a disabled input is never submitted, HTML "Constructing the entry list");
 * "agree to all" is a submit button the server reads as every item on the screen. With JavaScript
 * (/assets/consent-all.js) that button becomes a checkbox that ticks the optional items live.
 * After a Disconnect the page warns that the app may still hold earlier data.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { CsrfField, ErrorSummary } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import type { InteractionApp } from './login-pages.tsx';

export interface ConsentRow {
  item: string;
  /** what the app's developer wrote the item is for; null = none, the page explains the item */
  purpose: string | null;
}

/** Only absolute http(s) links reach an href, whatever an older release let an app store. */
function safeHref(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function AppHeader(props: { ctx: ViewContext; app: InteractionApp }): SafeHtml {
  const { ctx, app } = props;
  return (
    <div class="consent-app">
      {app.has_icon ? (
        <img
          src={`/apps/${app.id}/icon`}
          alt={ctx.t('interaction.icon_alt', { app: app.name })}
          width="48"
          height="48"
        />
      ) : (
        <span class="app-icon-blank s48" aria-hidden="true">
          {app.name.slice(0, 1)}
        </span>
      )}
      <p>
        <strong class="consent-app-name">{app.name}</strong>
        {app.company_name ? (
          <span class="muted block">
            {ctx.t('interaction.consent.company', { company: app.company_name })}
          </span>
        ) : null}
      </p>
    </div>
  );
}

function ItemRow(props: { ctx: ViewContext; row: ConsentRow; fixed: boolean }): SafeHtml {
  const { ctx, row, fixed } = props;
  const id = `item-${row.item}`;
  const tag = ctx.t(fixed ? 'interaction.consent.required' : 'interaction.consent.optional');
  const purpose = row.purpose
    ? ctx.t('interaction.consent.purpose', { purpose: row.purpose })
    : ctx.t(`interaction.item_about.${row.item}`);
  return (
    <li class="check consent-item">
      {fixed ? (
        <>
          <input type="checkbox" id={id} checked disabled aria-describedby={`${id}-purpose`} />
          <input type="hidden" name="item" value={row.item} />
        </>
      ) : (
        <input
          type="checkbox"
          id={id}
          name="item"
          value={row.item}
          aria-describedby={`${id}-purpose`}
          data-optional-item
        />
      )}
      <label for={id}>
        <span class={fixed ? 'consent-tag required' : 'consent-tag'}>{`[${tag}]`}</span>{' '}
        {ctx.t(`interaction.item.${row.item}`)}
        <span class="hint block" id={`${id}-purpose`}>
          {purpose}
        </span>
      </label>
    </li>
  );
}

function PolicyLinks(props: { ctx: ViewContext; app: InteractionApp }): SafeHtml | null {
  const { ctx, app } = props;
  const { t } = ctx;
  const privacy = safeHref(app.privacy_policy_url);
  const terms = safeHref(app.terms_url);
  if (!privacy && !terms) return null;
  // Same tab: the person comes back with the Back button, and the page keeps no opener.
  return (
    <p class="consent-links">
      {privacy ? (
        <a href={privacy} rel="noopener noreferrer" id="privacy-link">
          {t('interaction.consent.privacy')}
        </a>
      ) : null}
      {terms ? (
        <a href={terms} rel="noopener noreferrer" id="terms-link">
          {t('interaction.consent.terms')}
        </a>
      ) : null}
    </p>
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
  const hasOptional = props.optional.length > 0;
  const noPolicy = !safeHref(app.privacy_policy_url) && !safeHref(app.terms_url);
  return (
    <Layout ctx={ctx} title={t('interaction.consent.title', vars)} narrow>
      <AppHeader ctx={ctx} app={app} />
      <h1 class="consent-title">{t('interaction.consent.title', vars)}</h1>
      <p class="lead">
        {t(props.linked ? 'interaction.consent.lead_more' : 'interaction.consent.lead', vars)}
      </p>
      {props.disconnectedOn ? (
        <div class="alert warn" role="note" id="relink-warning">
          <p>{t('interaction.consent.relink_warning', { ...vars, date: props.disconnectedOn })}</p>
        </div>
      ) : null}
      <ErrorSummary t={t} message={props.message} />
      <form method="post" action={`/oauth/interaction/${props.uid}/consent`} class="consent-form">
        <CsrfField token={ctx.csrfToken} />
        {hasOptional ? (
          <div class="consent-all">
            <button
              type="submit"
              name="action"
              value="agree_all"
              class="secondary block"
              id="agree-all-button"
            >
              {t('interaction.consent.agree_all')}
            </button>
            <div class="check" id="agree-all-row" hidden>
              <input type="checkbox" id="agree-all" />
              <label for="agree-all">
                <strong>{t('interaction.consent.agree_all_check')}</strong>
              </label>
            </div>
          </div>
        ) : null}
        <fieldset class="consent-items">
          <legend>{t('interaction.consent.items_legend')}</legend>
          <ul>
            {props.required.map((row) => (
              <ItemRow ctx={ctx} row={row} fixed />
            ))}
            {props.optional.map((row) => (
              <ItemRow ctx={ctx} row={row} fixed={false} />
            ))}
          </ul>
          {hasOptional ? <p class="hint">{t('interaction.consent.optional_hint')}</p> : null}
        </fieldset>
        {noPolicy ? <p class="hint">{t('interaction.consent.no_privacy', { app: app.name })}</p> : null}
        {/* The links ride in the sticky footer with the answers: left in the flow just above it,
            they sat under the buttons on a 360 px screen and could not be tapped. */}
        <div class="consent-footer">
          <PolicyLinks ctx={ctx} app={app} />
          <div class="consent-actions">
            <button type="submit" name="action" value="cancel" class="secondary" id="consent-cancel">
              {t('interaction.consent.cancel')}
            </button>
            <button type="submit" name="action" value="agree" id="consent-agree">
              {t('interaction.consent.submit')}
            </button>
          </div>
        </div>
      </form>
      {hasOptional ? <script src="/assets/consent-all.js" defer></script> : null}
    </Layout>
  );
}
