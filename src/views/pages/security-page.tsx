/**
 * `/account/security`: where the account is signed in, its trusted browsers and its recent
 * security events, with a Sign out button for each and "Sign out everywhere else" (OWASP ASVS
 * 4.0.3 V3.3.4). Every button is a small POST form with the CSRF field: no JavaScript needed.
 * Mobile first: one column of plain lists.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn, formatRecentIn } from '../../i18n/dates.ts';
import type { Translate } from '../../i18n/index.ts';
import type { DeviceLabel } from '../../modules/security/device-label.ts';
import type { SecurityOverview } from '../../modules/security/security.service.ts';
import type { SecurityEvent } from '../../modules/security/security-events.ts';
import { CsrfField, Notice } from '../components/form.tsx';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export const SECURITY_PATH = '/account/security';

export function deviceName(t: Translate, device: DeviceLabel): string {
  if (device.browser && device.os) return t('security.device', { browser: device.browser, os: device.os });
  return device.browser || device.os || t('security.device.unknown');
}

function eventWords(t: Translate, event: SecurityEvent): string {
  return t(`security.event.${event.kind}`, { app: event.detail ?? '' });
}

function SignOutForm(props: {
  ctx: ViewContext;
  action: string;
  name: string;
  value: string;
  label: string;
}): SafeHtml {
  const { ctx } = props;
  return (
    <form method="post" action={props.action}>
      <CsrfField token={ctx.csrfToken} />
      <input type="hidden" name={props.name} value={props.value} />
      <button type="submit" class="secondary" aria-label={props.label}>
        {ctx.t('security.sign_out')}
      </button>
    </form>
  );
}

export function SecurityPage(props: {
  ctx: ViewContext;
  overview: SecurityOverview;
  notice?: string;
}): SafeHtml {
  const { ctx, overview } = props;
  const { t } = ctx;
  // Recent activity reads as people say it ("3분 전", "어제"); the exact time is in the title.
  const when = (at: number) => formatRecentIn(ctx, at, ctx.now);
  const exactly = (at: number) => formatDateIn(ctx, 'dateTime', at);
  const others = overview.sessions.filter((s) => !s.current);
  return (
    <Layout ctx={ctx} title={t('security.title')}>
      <h1>{t('security.title')}</h1>
      <p class="lead">{t('security.lead')}</p>
      {props.notice ? <Notice>{props.notice}</Notice> : null}

      <section aria-labelledby="sessions">
        <h2 id="sessions">{t('security.sessions.title')}</h2>
        <ul class="list">
          {overview.sessions.map((s) => (
            <li class="stack">
              <p>
                <strong>{deviceName(t, s.device)}</strong>
                {s.current ? <span> · {t('security.this_device')}</span> : null}
              </p>
              <p class="muted">
                {t('security.last_active', { date: when(s.lastSeenAt) })}
                {s.ip ? <span> · {t('security.ip', { ip: s.ip })}</span> : null}
              </p>
              {s.current ? null : (
                <SignOutForm
                  ctx={ctx}
                  action={`${SECURITY_PATH}/sessions/sign-out`}
                  name="session"
                  value={s.id}
                  label={t('security.sign_out_of', { device: deviceName(t, s.device) })}
                />
              )}
            </li>
          ))}
        </ul>
        {others.length ? null : <p class="muted">{t('security.sessions.none')}</p>}
      </section>

      <section aria-labelledby="devices">
        <h2 id="devices">{t('security.devices.title')}</h2>
        <p class="hint">{t('security.devices.lead')}</p>
        {overview.devices.length ? (
          <ul class="list">
            {overview.devices.map((d) => (
              <li class="stack">
                <p>
                  <strong>{deviceName(t, d)}</strong>
                  {d.current ? <span> · {t('security.this_device')}</span> : null}
                </p>
                <p class="muted">
                  {t('security.devices.last', { date: when(d.lastUsedAt) })} ·{' '}
                  {t('security.devices.first', { date: when(d.createdAt) })}
                </p>
                {d.current ? null : (
                  <SignOutForm
                    ctx={ctx}
                    action={`${SECURITY_PATH}/devices/sign-out`}
                    name="device"
                    value={d.id}
                    label={t('security.sign_out_of', { device: deviceName(t, d) })}
                  />
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('security.devices.none')}</p>
        )}
      </section>

      <section aria-labelledby="others" class="card">
        <h2 id="others">{t('security.others.title')}</h2>
        <p class="hint">{t('security.others.hint')}</p>
        <form method="post" action={`${SECURITY_PATH}/sign-out-others`}>
          <CsrfField token={ctx.csrfToken} />
          <button type="submit" class="block danger">
            {t('security.others.button')}
          </button>
        </form>
      </section>

      <section aria-labelledby="events">
        <h2 id="events">{t('security.events.title')}</h2>
        {overview.events.length ? (
          <ul class="list">
            {overview.events.map((e) => (
              <li>
                <p>
                  <strong>{eventWords(t, e)}</strong>
                </p>
                <p class="muted">
                  <time datetime={new Date(e.occurredAt).toISOString()} title={exactly(e.occurredAt)}>
                    {when(e.occurredAt)}
                  </time>
                  {e.device ? <span> · {deviceName(t, e.device)}</span> : null}
                  {e.ip ? <span> · {t('security.ip', { ip: e.ip })}</span> : null}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('security.events.none')}</p>
        )}
      </section>

      <p>
        <a href="/account">{t('security.back')}</a>
      </p>
    </Layout>
  );
}
