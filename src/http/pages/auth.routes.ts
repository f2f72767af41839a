/** Sign-up, log-in and log-out pages. Thin: parse → one service call → page or redirect. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { LoginPage, SignUpPage } from '../../views/pages/auth-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { safeNext } from './safe-next.ts';

type Form = Record<string, string | undefined>;

export const authRoutes: FastifyPluginAsync = async (app) => {
  const rememberDays = Math.round(app.config.sessionRememberMs / 86_400_000);

  app.get('/signup', async (request, reply) => {
    const next = safeNext((request.query as Form).next, '');
    return reply.page(SignUpPage({ ctx: viewContext(request), next: next || undefined }));
  });

  app.post('/signup', async (request, reply) => {
    const b = request.body;
    const next = safeNext(field(b, 'next'));
    try {
      const account = await app.services.accounts.signUp({
        email: field(b, 'email'),
        password: field(b, 'password'),
        nickname: field(b, 'nickname'),
        locale: request.locale,
        ip: request.ip,
      });
      await loginAndRedirect(request, reply, account, false, next);
      return reply;
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'validation_failed' && err.code !== 'email_taken')) throw err;
      const message = err.code === 'email_taken' ? request.t(err.messageKey) : undefined;
      const values = { email: field(b, 'email'), nickname: field(b, 'nickname') };
      const page = SignUpPage({
        ctx: viewContext(request),
        values,
        issues: err.issues,
        message,
        next: field(b, 'next') || undefined,
      });
      return reply.page(page, err.status);
    }
  });

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Form).next, '');
    const notice = (request.query as Form).logged_out ? request.t('logout.done') : undefined;
    return reply.page(
      LoginPage({ ctx: viewContext(request), next: next || undefined, notice, rememberDays }),
    );
  });

  app.post('/login', async (request, reply) => {
    const b = request.body;
    const email = field(b, 'email');
    try {
      const account = await app.services.accounts.authenticate({
        email,
        password: field(b, 'password'),
        ip: request.ip,
        trustedDevice: await request.isTrustedDevice(email),
      });
      await loginAndRedirect(
        request,
        reply,
        account,
        field(b, 'remember') === '1',
        safeNext(field(b, 'next')),
      );
      return reply;
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'invalid_credentials' && err.code !== 'login_throttled'))
        throw err;
      const page = LoginPage({
        ctx: viewContext(request),
        email,
        message: request.t(err.messageKey, err.params),
        next: field(b, 'next') || undefined,
        rememberDays,
      });
      return reply.page(page, err.status);
    }
  });

  app.post('/logout', async (_request, reply) => {
    await reply.endSession();
    reply.rotateCsrf();
    return reply.redirect('/login?logged_out=1', 303);
  });
};

async function loginAndRedirect(
  request: FastifyRequest,
  reply: FastifyReply,
  account: Parameters<FastifyReply['startSession']>[0],
  remember: boolean,
  next: string,
): Promise<void> {
  await reply.startSession(account, remember);
  reply.rotateCsrf();
  request.log.info({ account_id: account.id }, 'login');
  reply.redirect(next, 303);
}
