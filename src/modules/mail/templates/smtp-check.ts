/**
 * `smtp_check`: a mail that only proves delivery works (the development mailbox, operators
 * checking YEON_SMTP_URL). The example every other template follows: strings from
 * src/i18n/messages/mail.ts, parameters listed in `params`, no markup.
 */
import type { MailTemplates } from '../templates.ts';

export const smtpCheckTemplates: MailTemplates = {
  smtp_check: {
    params: [],
    render: ({ t, ctx }) => ({
      subject: t('mail.smtp_check.subject', { platform: ctx.platformName }),
      heading: t('mail.smtp_check.heading'),
      paragraphs: [t('mail.smtp_check.body', { platform: ctx.platformName })],
      action: { label: t('mail.smtp_check.action', { platform: ctx.platformName }), url: ctx.issuer },
      footnote: t('mail.smtp_check.footnote'),
    }),
  },
};
