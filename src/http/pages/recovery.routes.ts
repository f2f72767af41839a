/**
 * Forgot password, reset by link and email confirmation links: pages anyone can open. The signed-in
 * pages (change password, change email, resend) are in src/http/account/recovery-account.routes.ts.
 * Thin: parse → one service call → page or redirect.
 */
import fs from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, isAppError } from '../../errors/catalogue.ts';
import {
  DonePage,
  ForgotPasswordPage,
  LinkInvalidPage,
  ResetPasswordPage,
  VerifyEmailPage,
} from '../../views/pages/recovery-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';

const toggleScript = fs.readFileSync(
  new URL('../../views/assets/password-toggle.js', import.meta.url),
  'utf8',
);

type Query = Record<string, string | undefined>;

function isCode(err: unknown, ...codes: string[]): err is AppError {
  return isAppError(err) && codes.includes(err.code);
}

function linkInvalid(request: FastifyRequest, reply: FastifyReply, err: AppError, kind: 'reset' | 'verify') {
  const t = request.t;
  const page =
    kind === 'reset'
      ? LinkInvalidPage({
          ctx: viewContext(request),
          retryHref: '/forgot-password',
          retryLabel: t('recovery.forgot.submit'),
        })
      : LinkInvalidPage({
          ctx: viewContext(request),
          retryHref: '/account',
          retryLabel: t('recovery.verify.continue'),
        });
  return reply.page(page, err.status);
}

export const recoveryRoutes: FastifyPluginAsync = async (app) => {
  app.get('/assets/password-toggle.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(toggleScript),
  );

  app.get('/forgot-password', async (request, reply) =>
    reply.page(ForgotPasswordPage({ ctx: viewContext(request) })),
  );

  app.post('/forgot-password', async (request, reply) => {
    try {
      await app.services.passwordRecovery.requestReset({
        email: field(request.body, 'email'),
        ip: request.ip,
        pageLocale: request.locale,
      });
      // The same page for every address, known or not (nothing else on it depends on the account).
      return reply.page(ForgotPasswordPage({ ctx: viewContext(request), sent: true }));
    } catch (err) {
      if (!isCode(err, 'validation_failed', 'rate_limited')) throw err;
      const message = err.code === 'rate_limited' ? request.t(err.messageKey, err.params) : undefined;
      return reply.page(
        ForgotPasswordPage({ ctx: viewContext(request), issues: err.issues, message }),
        err.status,
      );
    }
  });

  app.get('/reset-password', async (request, reply) => {
    const token = (request.query as Query).token ?? '';
    try {
      const { email } = await app.services.passwordRecovery.previewReset(token);
      return reply.page(ResetPasswordPage({ ctx: viewContext(request), token, email }));
    } catch (err) {
      if (!isCode(err, 'recovery_link_invalid')) throw err;
      return linkInvalid(request, reply, err, 'reset');
    }
  });

  app.post('/reset-password', async (request, reply) => {
    const token = field(request.body, 'token');
    try {
      await app.services.passwordRecovery.reset({
        token,
        password: field(request.body, 'password'),
        ip: request.ip,
      });
      // Every session of the account ended, this browser's included.
      if (request.account) await reply.endSession();
      reply.rotateCsrf();
      const t = request.t;
      const page = DonePage({
        ctx: viewContext(request),
        title: t('recovery.reset.title'),
        message: t('recovery.reset.done'),
        href: '/login',
        label: t('nav.login'),
      });
      return reply.page(page);
    } catch (err) {
      if (isCode(err, 'recovery_link_invalid')) return linkInvalid(request, reply, err, 'reset');
      if (!isCode(err, 'validation_failed')) throw err;
      // The address shown is the form's own hidden field: only text on the page; the link decides.
      const email = field(request.body, 'username');
      return reply.page(
        ResetPasswordPage({ ctx: viewContext(request), token, email, issues: err.issues }),
        err.status,
      );
    }
  });

  app.get('/verify-email', async (request, reply) => {
    const token = (request.query as Query).token ?? '';
    try {
      const { email } = await app.services.emailVerification.preview(token);
      return reply.page(VerifyEmailPage({ ctx: viewContext(request), token, email }));
    } catch (err) {
      if (!isCode(err, 'recovery_link_invalid')) throw err;
      return linkInvalid(request, reply, err, 'verify');
    }
  });

  app.post('/verify-email', async (request, reply) => {
    try {
      const { email } = await app.services.emailVerification.confirm(field(request.body, 'token'), {
        ip: request.ip,
      });
      const t = request.t;
      const page = DonePage({
        ctx: viewContext(request),
        title: t('recovery.verify.title'),
        message: t('recovery.verify.done', { email }),
        href: '/account',
        label: t('recovery.verify.continue'),
      });
      return reply.page(page);
    } catch (err) {
      if (!isCode(err, 'recovery_link_invalid')) throw err;
      return linkInvalid(request, reply, err, 'verify');
    }
  });
};
