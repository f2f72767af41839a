/**
 * `/dev/mailbox` (development only): the mail the platform sent, newest first, and one message
 * with its text part and its HTML part. The HTML is shown in an `<iframe sandbox srcdoc>`: no
 * scripts, a unique origin, and the page's CSP still applies, so a mail cannot act on this origin.
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import { formatDateIn } from '../../i18n/dates.ts';
import type { MailboxMessage } from '../../modules/mail/dev-mailbox.ts';
import { Layout } from '../layout.tsx';
import type { ViewContext } from '../view-context.ts';

export const DEV_MAILBOX_PATH = '/dev/mailbox';

export function DevMailboxPage(props: { ctx: ViewContext; messages: MailboxMessage[] }): SafeHtml {
  const { ctx, messages } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mail.dev.title')}>
      <h1>{t('mail.dev.title')}</h1>
      <p class="lead">{t('mail.dev.lead')}</p>
      {messages.length ? (
        <ul class="list" id="mailbox">
          {messages.map((m) => (
            <li>
              <a href={`${DEV_MAILBOX_PATH}/${m.id}`} data-message-id={m.id}>
                <span class="stack-tight">
                  <strong>{m.subject || t('mail.dev.no_subject')}</strong>
                  <span class="hint block">
                    {t('mail.dev.to', { to: m.to })} · {formatDateIn(ctx, 'dateTime', m.receivedAt)}
                  </span>
                </span>
                <span aria-hidden="true">›</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="card">{t('mail.dev.empty')}</p>
      )}
    </Layout>
  );
}

export function DevMailMessagePage(props: { ctx: ViewContext; message: MailboxMessage }): SafeHtml {
  const { ctx, message: m } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={m.subject || t('mail.dev.no_subject')}>
      <p>
        <a href={DEV_MAILBOX_PATH}>‹ {t('mail.dev.title')}</a>
      </p>
      <h1>{m.subject || t('mail.dev.no_subject')}</h1>
      <dl class="card kv">
        <dt>{t('mail.dev.from_label')}</dt>
        <dd>{m.from}</dd>
        <dt>{t('mail.dev.to_label')}</dt>
        <dd>{m.to}</dd>
        <dt>{t('mail.dev.date_label')}</dt>
        <dd>{formatDateIn(ctx, 'dateTime', m.receivedAt)}</dd>
        <dt>Message-ID</dt>
        <dd>{m.messageId ?? ''}</dd>
      </dl>
      <section aria-labelledby="text-part">
        <h2 id="text-part">{t('mail.dev.text_part')}</h2>
        <pre class="card mail-text">{m.text}</pre>
      </section>
      {m.html !== null ? (
        <section aria-labelledby="html-part">
          <h2 id="html-part">{t('mail.dev.html_part')}</h2>
          <iframe
            title={t('mail.dev.html_part')}
            sandbox=""
            referrerpolicy="no-referrer"
            srcdoc={m.html}
            class="mail-html"
          ></iframe>
        </section>
      ) : null}
    </Layout>
  );
}
