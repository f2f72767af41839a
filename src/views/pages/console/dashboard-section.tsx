/**
 * The app's dashboard on the console overview: four numbers and a bar chart of links and unlinks
 * per day, drawn on the server as inline SVG (no chart library, no script). The chart is one image
 * to assistive technology (role="img" named by its <title>, described by its <desc>, SVG 2 §5.9
 * and WAI-ARIA Graphics Module); the same numbers are in a table for anyone who wants to read them.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn } from '../../../i18n/dates.ts';
import type { AppDashboard } from '../../../modules/apps/app-dashboard.ts';
import type { ViewContext } from '../../view-context.ts';

const W = 420;
const H = 150;
const TOP = 12;
const BOTTOM = 22;
const LEFT = 8;

function dayLabel(ctx: ViewContext, startsAt: number, timeZone: string): string {
  return formatDateIn({ locale: ctx.locale, timeZone }, 'monthDay', startsAt);
}

function DayChart(props: { ctx: ViewContext; dashboard: AppDashboard }): SafeHtml {
  const { ctx, dashboard } = props;
  const { t } = ctx;
  const max = Math.max(0, ...dashboard.days.flatMap((d) => [d.links, d.unlinks]));
  const plotH = H - TOP - BOTTOM;
  const slot = (W - LEFT * 2) / dashboard.days.length;
  const bar = Math.min(18, slot / 3);
  const height = (n: number) => (n === 0 ? 0 : Math.max(2, Math.round((n / max) * plotH)));
  return (
    <svg
      class="day-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby="dashboard-chart-title"
      aria-describedby="dashboard-chart-desc"
    >
      <title id="dashboard-chart-title">{t('console.dashboard.chart_title')}</title>
      <desc id="dashboard-chart-desc">{t('console.dashboard.chart_desc')}</desc>
      <line x1={LEFT} x2={W - LEFT} y1={TOP + plotH} y2={TOP + plotH} class="axis" />
      {max === 0 ? (
        <text x={W / 2} y={TOP + plotH / 2} class="empty">
          {t('console.dashboard.chart_empty')}
        </text>
      ) : null}
      {dashboard.days.map((day, i) => {
        const x = LEFT + i * slot + slot / 2;
        const hl = height(day.links);
        const hu = height(day.unlinks);
        return (
          <g>
            <rect class="links" x={x - bar - 1} y={TOP + plotH - hl} width={bar} height={hl} />
            <rect class="unlinks" x={x + 1} y={TOP + plotH - hu} width={bar} height={hu} />
            {day.links ? (
              <text x={x - bar / 2 - 1} y={TOP + plotH - hl - 2} class="value">
                {day.links}
              </text>
            ) : null}
            {day.unlinks ? (
              <text x={x + bar / 2 + 1} y={TOP + plotH - hu - 2} class="value">
                {day.unlinks}
              </text>
            ) : null}
            <text x={x} y={H - 6} class="day">
              {dayLabel(ctx, day.starts_at, dashboard.time_zone)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function DashboardSection(props: { ctx: ViewContext; dashboard: AppDashboard }): SafeHtml {
  const { ctx, dashboard } = props;
  const { t } = ctx;
  const num = new Intl.NumberFormat(ctx.locale);
  const pct = new Intl.NumberFormat(ctx.locale, { style: 'percent', maximumFractionDigits: 1 });
  const links = dashboard.days.reduce((s, d) => s + d.links, 0);
  const unlinks = dashboard.days.reduce((s, d) => s + d.unlinks, 0);
  const { deliveries } = dashboard;
  return (
    <section aria-labelledby="dashboard" class="card dashboard">
      <h2 id="dashboard">{t('console.dashboard.title')}</h2>
      <dl class="stats">
        <div>
          <dt>{t('console.dashboard.linked_now')}</dt>
          <dd id="stat-linked-now">{num.format(dashboard.linked_now)}</dd>
        </div>
        <div>
          <dt>
            <span class="swatch links" aria-hidden="true" />
            {t('console.dashboard.links_7d')}
          </dt>
          <dd id="stat-links">{num.format(links)}</dd>
        </div>
        <div>
          <dt>
            <span class="swatch unlinks" aria-hidden="true" />
            {t('console.dashboard.unlinks_7d')}
          </dt>
          <dd id="stat-unlinks">{num.format(unlinks)}</dd>
        </div>
        <div>
          <dt>{t('console.dashboard.success_rate')}</dt>
          <dd id="stat-success">
            {deliveries.success_rate === null ? (
              <span class="muted">{t('console.dashboard.no_attempts')}</span>
            ) : (
              <>
                {pct.format(deliveries.success_rate)}
                <span class="hint block">
                  {t('console.dashboard.success_detail', {
                    ok: num.format(deliveries.succeeded),
                    total: num.format(deliveries.attempts),
                  })}
                </span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('console.dashboard.p95')}</dt>
          <dd id="stat-p95">
            {deliveries.p95_latency_ms === null ? (
              <span class="muted">{t('console.dashboard.no_attempts')}</span>
            ) : (
              `${num.format(deliveries.p95_latency_ms)} ms`
            )}
          </dd>
        </div>
      </dl>
      <DayChart ctx={ctx} dashboard={dashboard} />
      <details class="more">
        <summary>{t('console.dashboard.show_table')}</summary>
        <table id="dashboard-days">
          <caption class="visually-hidden">{t('console.dashboard.table_caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.dashboard.col_day')}</th>
              <th scope="col">{t('console.dashboard.legend_links')}</th>
              <th scope="col">{t('console.dashboard.legend_unlinks')}</th>
            </tr>
          </thead>
          <tbody>
            {dashboard.days.map((day) => (
              <tr>
                <th scope="row">{dayLabel(ctx, day.starts_at, dashboard.time_zone)}</th>
                <td>{num.format(day.links)}</td>
                <td>{num.format(day.unlinks)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <p class="hint">{t('console.dashboard.days_in', { zone: dashboard.time_zone })}</p>
    </section>
  );
}
