/**
 * `/developers/tokens`: the signed-in developer's tokens for the management API (`/api/v1`).
 * Create one (its value is on this page once, in a read-only field that selects whole for
 * copying) and choose when it expires, see when each was created, last used and expires, and
 * revoke one.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import {
  DEFAULT_TOKEN_LIFETIME,
  type DeveloperToken,
  TOKEN_LIFETIME_DAYS,
  TOKEN_NAME_MAX,
} from '../../../modules/developer-tokens/developer-tokens.service.ts';
import {
  CsrfField,
  describedBy,
  ErrorSummary,
  Field,
  FieldNotes,
  issuesByField,
  Notice,
} from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm } from './console-form.tsx';
import { ConsoleStyles, DeveloperNav, formatDate } from './console-shell.tsx';

export const TOKENS_PATH = '/developers/tokens';
/** The expiry select's value for "until revoked" (the others are the number of days). */
export const NEVER = 'never';

type FormValues = { name: string; expires_in_days?: string };
type Created = { token: string; name: string; expires_at: number | null };

export function TokensPage(props: {
  ctx: ViewContext;
  /** the live tokens (not listed on the page that shows a new token) */
  tokens: DeveloperToken[];
  /** the issuer, so the usage example names this server */
  apiBase: string;
  /** just created: the only time its value is on a page */
  created?: Created;
  values?: FormValues;
  issues?: FieldIssue[];
  notice?: string;
}): SafeHtml {
  const { ctx, issues = [] } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('tokens.title')} narrow={false}>
      <ConsoleStyles />
      <DeveloperNav ctx={ctx} current="tokens" />
      <h1>{t('tokens.title')}</h1>
      <p class="lead">
        {t('tokens.lead')} <a href="/docs">{t('tokens.docs_link')}</a>
      </p>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary t={t} issues={issues} />
      {props.created ? (
        <CreatedToken ctx={ctx} created={props.created} apiBase={props.apiBase} />
      ) : (
        <TokensAndForm ctx={ctx} tokens={props.tokens} values={props.values} issues={issues} />
      )}
    </Layout>
  );
}

function TokensAndForm(props: {
  ctx: ViewContext;
  tokens: DeveloperToken[];
  values?: FormValues;
  issues: FieldIssue[];
}): SafeHtml {
  const { ctx } = props;
  const { t } = ctx;
  const by = issuesByField(props.issues);
  return (
    <>
      <section aria-labelledby="token-list">
        <h2 id="token-list">{t('tokens.list.title')}</h2>
        {props.tokens.length === 0 ? (
          <p class="muted">{t('tokens.list.empty')}</p>
        ) : (
          <>
            <p class="hint">{t('tokens.list.last_used_hint')}</p>
            <ul class="list keys-list">
              {props.tokens.map((token) => (
                <TokenRow ctx={ctx} token={token} />
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="create-token" class="card">
        <h2 id="create-token">{t('tokens.create.title')}</h2>
        <p class="hint">{t('tokens.create.lifetime')}</p>
        <form method="post" action={TOKENS_PATH} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <Field
            t={t}
            name="name"
            label={t('tokens.create.name')}
            hint={t('tokens.create.name_hint', { max: TOKEN_NAME_MAX })}
            value={props.values?.name ?? ''}
            issue={by.name}
            autocomplete="off"
            maxlength={TOKEN_NAME_MAX}
          />
          <ExpirySelect ctx={ctx} value={props.values?.expires_in_days} issue={by.expires_in_days} />
          <button type="submit">{t('tokens.create.submit')}</button>
        </form>
      </section>
    </>
  );
}

/** 30, 90 (chosen unless the form comes back with another), 365 days or never. */
function ExpirySelect(props: { ctx: ViewContext; value?: string; issue?: FieldIssue }): SafeHtml {
  const { t } = props.ctx;
  const name = 'expires_in_days';
  const hint = t('tokens.create.expiry_hint');
  const chosen = props.value ?? String(DEFAULT_TOKEN_LIFETIME ?? NEVER);
  const options = [
    ...TOKEN_LIFETIME_DAYS.map((days) => ({ value: String(days), label: t('tokens.expiry.days', { days }) })),
    { value: NEVER, label: t('tokens.expiry.never') },
  ];
  return (
    <div class={props.issue ? 'field invalid' : 'field'}>
      <label for={name}>{t('tokens.create.expiry')}</label>
      <FieldNotes t={t} name={name} hint={hint} issue={props.issue} />
      <select
        id={name}
        name={name}
        aria-invalid={props.issue ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, props.issue)}
      >
        {options.map((o) => (
          <option value={o.value} selected={o.value === chosen}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function CreatedToken(props: { ctx: ViewContext; created: Created; apiBase: string }): SafeHtml {
  const { ctx, created } = props;
  const { t } = ctx;
  return (
    <section aria-labelledby="token-created" class="card">
      <h2 id="token-created">{t('tokens.created.title')}</h2>
      <div class="field">
        <label for="new-token">{t('tokens.created.label', { name: created.name })}</label>
        <p class="hint" id="new-token-hint">
          {t('tokens.created.once')}
        </p>
        {/* Read-only text, not a password box: it must be visible to be checked and copied whole. */}
        <input
          id="new-token"
          type="text"
          class="mono"
          readonly
          spellcheck="false"
          autocomplete="off"
          value={created.token}
          aria-describedby="new-token-hint"
        />
      </div>
      <p>
        {created.expires_at === null
          ? t('tokens.created.never_expires')
          : t('tokens.created.expires', { date: formatDate(ctx, created.expires_at) })}
      </p>
      <p>{t('tokens.created.usage')}</p>
      <pre class="excerpt">
        <code>{`curl -H "Authorization: Bearer ${created.token}" \\\n  ${props.apiBase}/api/v1/apps`}</code>
      </pre>
      <p>
        <a href={TOKENS_PATH}>{t('tokens.created.back')}</a>
      </p>
    </section>
  );
}

function TokenRow(props: { ctx: ViewContext; token: DeveloperToken }): SafeHtml {
  const { ctx, token } = props;
  const { t } = ctx;
  const nameId = `token-${token.id}`;
  return (
    <li>
      <p>
        <strong id={nameId}>{token.name}</strong>
      </p>
      <dl class="kv">
        <dt>{t('tokens.list.created')}</dt>
        <dd>{formatDate(ctx, token.created_at)}</dd>
        <dt>{t('tokens.list.expires')}</dt>
        <dd>
          {token.expires_at === null
            ? t('tokens.list.never_expires')
            : token.expired
              ? t('tokens.list.expired', { date: formatDate(ctx, token.expires_at) })
              : formatDate(ctx, token.expires_at)}
        </dd>
        <dt>{t('tokens.list.last_used')}</dt>
        <dd>
          {token.last_used_at === null ? t('tokens.list.never_used') : formatDate(ctx, token.last_used_at)}
        </dd>
      </dl>
      {/* The token's name is part of the button's description, so "Revoke" says which one. */}
      <ActionForm
        action={`${TOKENS_PATH}/${encodeURIComponent(token.id)}/revoke`}
        csrfToken={ctx.csrfToken}
        label={t('tokens.revoke')}
        variant="danger"
        describedBy={nameId}
      />
    </li>
  );
}
