/**
 * The signed-in recovery pages: change password (/account/password), change email (/account/email)
 * and "send the confirmation email again". Thin: parse → one service call → page or redirect.
 */
import type { FastifyPluginAsync } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { ChangeEmailPage, ChangePasswordPage } from '../../views/pages/recovery-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { requireAccount } from '../pages/account.routes.ts';

export const recoveryAccountRoutes: FastifyPluginAsync = async (app) => {
  app.accountMenu.push({ href: '/account/password', labelKey: 'recovery.change_password.menu' });

  app.get('/account/password', { preHandler: requireAccount }, async (request, reply) => {
    const done = (request.query as Record<string, string | undefined>).done === '1';
    return reply.page(ChangePasswordPage({ ctx: viewContext(request), done }));
  });

  app.post('/account/password', { preHandler: requireAccount }, async (request, reply) => {
    const account = request.account!;
    try {
      await app.services.passwordRecovery.change({
        accountId: account.id,
        sessionIdHash: request.session?.id_hash,
        currentPassword: field(request.body, 'current_password'),
        newPassword: field(request.body, 'new_password'),
        ip: request.ip,
        trustedDevice: await request.isTrustedDevice(account.email),
      });
      return reply.redirect('/account/password?done=1', 303);
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'validation_failed' && err.code !== 'login_throttled')) throw err;
      const message = err.code === 'login_throttled' ? request.t(err.messageKey, err.params) : undefined;
      return reply.page(
        ChangePasswordPage({ ctx: viewContext(request), issues: err.issues, message }),
        err.status,
      );
    }
  });

  app.get('/account/email', { preHandler: requireAccount }, async (request, reply) => {
    return reply.page(ChangeEmailPage({ ctx: viewContext(request), currentEmail: request.account!.email }));
  });

  app.post('/account/email', { preHandler: requireAccount }, async (request, reply) => {
    const account = request.account!;
    const newEmail = field(request.body, 'new_email');
    try {
      const { email } = await app.services.emailVerification.requestChange({
        accountId: account.id,
        newEmail,
        currentPassword: field(request.body, 'current_password'),
        ip: request.ip,
        trustedDevice: await request.isTrustedDevice(account.email),
        pageLocale: request.locale,
      });
      return reply.page(
        ChangeEmailPage({ ctx: viewContext(request), currentEmail: account.email, sentTo: email }),
      );
    } catch (err) {
      const shown = ['validation_failed', 'email_taken', 'login_throttled', 'rate_limited'];
      if (!isAppError(err) || !shown.includes(err.code)) throw err;
      const message = err.code === 'validation_failed' ? undefined : request.t(err.messageKey, err.params);
      const page = ChangeEmailPage({
        ctx: viewContext(request),
        currentEmail: account.email,
        newEmail,
        issues: err.issues,
        message,
      });
      return reply.page(page, err.status);
    }
  });

  app.post('/account/email/resend', { preHandler: requireAccount }, async (request, reply) => {
    const { already } = await app.services.emailVerification.resend(request.account!.id, request.locale);
    return reply.redirect(already ? '/account' : '/account?verification=sent', 303);
  });
};
