/**
 * The frame of every app page in the console: the app's icon and name, the viewer's role, the
 * section navigation (aria-current marks the open section), then a notice or the error summary.
 */
import type { Child, SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import { formatDateIn } from '../../../i18n/dates.ts';
import type { AppDetail, AppRole } from '../../../modules/apps/apps.types.ts';
import { ErrorSummary, Notice } from '../../components/form.tsx';
import { Layout } from '../../layout.tsx';
import type { ViewContext } from '../../view-context.ts';

export const CONSOLE_SECTIONS = [
  'overview',
  'login',
  'consent',
  'platforms',
  'unlink',
  'deliveries',
  'members',
] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

export function appPath(appId: number, section: ConsoleSection = 'overview'): string {
  return section === 'overview' ? `/developers/apps/${appId}` : `/developers/apps/${appId}/${section}`;
}

export function formatDate(ctx: ViewContext, epochMs: number): string {
  return formatDateIn(ctx, 'compactDateTime', epochMs);
}

/** The console's extra styles (served by the console routes; CSP allows same-origin stylesheets). */
export function ConsoleStyles(): SafeHtml {
  return <link rel="stylesheet" href="/assets/console.css" />;
}

export function AppIcon(props: {
  ctx: ViewContext;
  app: { id: number; name: string };
  version?: number | null;
  size?: number;
}): SafeHtml {
  const { ctx, app } = props;
  const size = props.size ?? 48;
  if (!props.version) {
    return (
      <span class={size > 48 ? 'app-icon placeholder large' : 'app-icon placeholder'} aria-hidden="true">
        {[...app.name][0]?.toUpperCase() ?? '?'}
      </span>
    );
  }
  return (
    <img
      class="app-icon"
      src={`${appPath(app.id)}/icon?v=${props.version}`}
      alt={ctx.t('console.icon.alt', { name: app.name })}
      width={size}
      height={size}
    />
  );
}

export function roleLabel(ctx: ViewContext, role: AppRole): string {
  return ctx.t(`console.role.${role}`);
}

/**
 * The console's pages above any one app: all apps, and the account's API tokens (which act for
 * the account, not for one app, so they live beside the app list rather than in an app's nav).
 */
export function DeveloperNav(props: { ctx: ViewContext; current?: 'apps' | 'tokens' }): SafeHtml {
  const { t } = props.ctx;
  return (
    <nav class="crumb" aria-label={t('tokens.nav_label')}>
      <a href="/developers" aria-current={props.current === 'apps' ? 'page' : undefined}>
        {t('console.nav.all_apps')}
      </a>
      <span aria-hidden="true"> · </span>
      <a href="/developers/tokens" aria-current={props.current === 'tokens' ? 'page' : undefined}>
        {t('tokens.title')}
      </a>
    </nav>
  );
}

export function ConsoleShell(props: {
  ctx: ViewContext;
  app: AppDetail;
  section: ConsoleSection;
  notice?: string;
  issues?: FieldIssue[];
  message?: string;
  children?: Child;
}): SafeHtml {
  const { ctx, app, section } = props;
  const { t } = ctx;
  const title = t(`console.nav.${section}`);
  return (
    <Layout ctx={ctx} title={`${title} · ${app.name}`} narrow={false}>
      <ConsoleStyles />
      <DeveloperNav ctx={ctx} />
      <div class="app-head">
        <AppIcon ctx={ctx} app={app} version={app.icon?.updated_at} />
        <div>
          <p class="app-name">{app.name}</p>
          <p class="muted">{t('console.role_label', { role: roleLabel(ctx, app.role) })}</p>
        </div>
      </div>
      <nav class="subnav" aria-label={t('console.nav.label')}>
        <ul>
          {CONSOLE_SECTIONS.map((s) => (
            <li>
              <a href={appPath(app.id, s)} aria-current={s === section ? 'page' : undefined}>
                {t(`console.nav.${s}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{title}</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary t={t} issues={props.issues} message={props.message} />
      {app.permissions.update ? null : <p class="alert warn">{t('console.read_only')}</p>}
      {/* Paused notifications wait unseen, so every page of the app says so. */}
      {app.unlink.callback_url && app.unlink.state === 'paused' && section !== 'deliveries' ? (
        <p class="alert warn" id="paused-banner">
          {t('deliveries.banner.paused')}{' '}
          <a href={appPath(app.id, 'deliveries')}>{t('deliveries.banner.link')}</a>
        </p>
      ) : null}
      {props.children}
    </Layout>
  );
}
