/**
 * Team invitation mail: app_invitation. Filled in by the app invitations work; each entry is a
 * `MailTemplate` (see ../templates.ts and the example in ./smtp-check.ts), with its strings in
 * src/i18n/messages/*.ts in Korean and English.
 */
import type { MailTemplates } from '../templates.ts';

export const invitationTemplates: MailTemplates = {};
