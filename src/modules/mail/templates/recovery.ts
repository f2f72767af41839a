/**
 * Account recovery mail: verify_email, email_change_verify, password_reset, password_changed,
 * email_changed_notice. Strings in src/i18n/messages/recovery.ts (`recovery.mail.*`). The links
 * are built by the service that sends them (src/modules/accounts/recovery.service.ts); the notices
 * point at the forgot-password page, which works even when the person can no longer sign in
 * (OWASP ASVS V2.2.3: notify after a change of authentication details, with a way to react).
 */
import type { MailTemplates, TemplateInput } from '../templates.ts';

const forgotUrl = ({ ctx }: TemplateInput) => `${ctx.issuer.replace(/\/+$/, '')}/forgot-password`;

export const recoveryTemplates: MailTemplates = {
  verify_email: {
    params: ['url', 'email'],
    render: ({ t, ctx, params }) => ({
      subject: t('recovery.mail.verify.subject', { platform: ctx.platformName }),
      heading: t('recovery.mail.verify.heading'),
      paragraphs: [t('recovery.mail.verify.body', { platform: ctx.platformName, email: params.email! })],
      action: { label: t('recovery.mail.verify.action'), url: params.url! },
      footnote: t('recovery.mail.verify.footnote'),
    }),
  },
  email_change_verify: {
    params: ['url', 'email'],
    render: ({ t, ctx, params }) => ({
      subject: t('recovery.mail.change.subject', { platform: ctx.platformName }),
      heading: t('recovery.mail.change.heading'),
      paragraphs: [t('recovery.mail.change.body', { platform: ctx.platformName, email: params.email! })],
      action: { label: t('recovery.mail.verify.action'), url: params.url! },
      footnote: t('recovery.mail.change.footnote'),
    }),
  },
  password_reset: {
    params: ['url'],
    render: ({ t, ctx, params }) => ({
      subject: t('recovery.mail.reset.subject', { platform: ctx.platformName }),
      heading: t('recovery.mail.reset.heading'),
      paragraphs: [t('recovery.mail.reset.body', { platform: ctx.platformName })],
      action: { label: t('recovery.mail.reset.action'), url: params.url! },
      footnote: t('recovery.mail.reset.footnote'),
    }),
  },
  password_changed: {
    params: [],
    render: (input) => ({
      subject: input.t('recovery.mail.password_changed.subject', { platform: input.ctx.platformName }),
      heading: input.t('recovery.mail.password_changed.heading'),
      paragraphs: [input.t('recovery.mail.password_changed.body', { platform: input.ctx.platformName })],
      action: { label: input.t('recovery.mail.secure.action'), url: forgotUrl(input) },
      footnote: input.t('recovery.mail.secure.footnote'),
    }),
  },
  email_changed_notice: {
    params: ['new_email'],
    render: (input) => ({
      subject: input.t('recovery.mail.email_changed.subject', { platform: input.ctx.platformName }),
      heading: input.t('recovery.mail.email_changed.heading'),
      paragraphs: [
        input.t('recovery.mail.email_changed.body', {
          platform: input.ctx.platformName,
          email: input.params.new_email!,
        }),
      ],
      action: { label: input.t('recovery.mail.secure.action'), url: forgotUrl(input) },
      footnote: input.t('recovery.mail.secure.footnote'),
    }),
  },
};
