/**
 * Team invitation mail: `app_invitation`, queued by src/modules/apps/app-invitations.ts in the
 * invitation's transaction. Strings in src/i18n/messages/invitations.ts (`invitations.mail.*`).
 * The role is passed as its code and named in the mail's language here; the expiry is epoch ms,
 * written as a date a person reads (src/i18n/dates.ts).
 */
import { formatDateIn } from '../../../i18n/dates.ts';
import type { MailTemplates } from '../templates.ts';

export const invitationTemplates: MailTemplates = {
  app_invitation: {
    params: ['url', 'app_name', 'inviter', 'role', 'expires_at'],
    render: ({ t, locale, ctx, params }) => {
      const vars = { platform: ctx.platformName, app: params.app_name!, inviter: params.inviter! };
      return {
        subject: t('invitations.mail.subject', vars),
        heading: t('invitations.mail.heading', vars),
        paragraphs: [
          t('invitations.mail.body', vars),
          t('invitations.page.role', { role: t(`console.role.${params.role}`) }),
          t('invitations.mail.how', { date: formatDateIn(locale, 'dateTime', Number(params.expires_at)) }),
        ],
        action: { label: t('invitations.mail.action'), url: params.url! },
        footnote: t('invitations.mail.footnote'),
      };
    },
  },
};
