/**
 * The overview page's "Reissue a key" card: the replaced keys still in their overlap, each with
 * "works until …" and a "stop now" button, and the reissue form (which key, how long the replaced
 * one keeps working). Plain forms: it works without JavaScript. Admin key values arrive as null
 * for plain members, who see the card without its actions.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import {
  DEFAULT_KEY_OVERLAP,
  KEY_OVERLAPS,
  ROTATABLE_KEY_KINDS,
} from '../../../modules/apps/app-keys.types.ts';
import type { AppDetail } from '../../../modules/apps/apps.types.ts';
import { CsrfField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm, RadioGroup } from './console-form.tsx';
import { appPath, formatDate } from './console-shell.tsx';

export function KeyRotationSection(props: {
  ctx: ViewContext;
  app: AppDetail;
  issues?: FieldIssue[];
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  const { t } = ctx;
  const canEdit = app.permissions.update;
  const previous = app.keys.previous;
  const issue = (field: string) => issues.find((i) => i.field === field);
  return (
    <section aria-labelledby="key-rotation" class="card">
      <h2 id="key-rotation">{t('console.rotation.title')}</h2>
      <p class="hint" id="key-rotation-hint">
        {t('console.rotation.hint')}
      </p>
      {previous.length ? (
        <>
          <h3 id="previous-keys">{t('console.rotation.previous_title')}</h3>
          <p class="hint">{t('console.rotation.previous_hint')}</p>
          <ul class="list keys-list" aria-labelledby="previous-keys">
            {previous.map((key) => (
              <li>
                <p>
                  <strong>{t(`console.rotation.kind_${key.kind}`)}</strong>
                  <span class="muted">
                    {' '}
                    · {t('console.rotation.works_until', { date: formatDate(ctx, key.expires_at) })}
                  </span>
                </p>
                {key.key ? <code class={key.kind === 'admin' ? 'secret' : undefined}>{key.key}</code> : null}
                {canEdit ? (
                  <ActionForm
                    action={`${appPath(app.id)}/keys/stop`}
                    csrfToken={ctx.csrfToken}
                    label={t('console.rotation.stop')}
                    hidden={{ key_id: key.id }}
                    variant="danger"
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canEdit ? (
        <form method="post" action={`${appPath(app.id)}/keys/rotate`} class="stack">
          <CsrfField token={ctx.csrfToken} />
          <RadioGroup
            t={t}
            name="kind"
            legend={t('console.rotation.kind')}
            value="rest_api"
            issue={issue('kind')}
            options={ROTATABLE_KEY_KINDS.map((kind) => ({
              value: kind,
              label: t(`console.rotation.kind_${kind}`),
            }))}
          />
          <RadioGroup
            t={t}
            name="overlap"
            legend={t('console.rotation.overlap')}
            value={DEFAULT_KEY_OVERLAP}
            issue={issue('overlap')}
            options={Object.keys(KEY_OVERLAPS).map((o) => ({
              value: o,
              label: t(`console.rotation.overlap_${o}`),
            }))}
          />
          <button type="submit" class="secondary" aria-describedby="key-rotation-hint">
            {t('console.rotation.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
