/**
 * Account recovery mail: verify_email, password_reset, password_changed, email_change_verify,
 * email_changed_notice. Filled in by the account recovery work; each entry is a `MailTemplate`
 * (see ../templates.ts and the example in ./smtp-check.ts), with its strings in
 * src/i18n/messages/*.ts in Korean and English.
 */
import type { MailTemplates } from '../templates.ts';

export const recoveryTemplates: MailTemplates = {};
