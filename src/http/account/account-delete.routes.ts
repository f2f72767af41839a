/**
 * `/account/delete`: the password again and a confirmation checkbox, then
 * `deleteAccount` (one transaction), the browser session ended, and a goodbye page.
 */
import type { FastifyPluginAsync } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { deleteAccount } from '../../modules/accounts/account-deletion.ts';
import { DeleteAccountPage, GoodbyePage } from '../../views/pages/connected/account-delete-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { requireAccount } from '../pages/account.routes.ts';

/** Refusals shown on the form itself; anything else goes to the error handler. */
const FORM_ERRORS = new Set([
  'validation_failed',
  'invalid_credentials',
  'login_throttled',
  'account_sole_owner',
]);

export const accountDeleteRoutes: FastifyPluginAsync = async (app) => {
  const connectedCount = (accountId: string) => app.services.connectedServices.liveCount(accountId);

  app.get('/account/delete', { preHandler: requireAccount }, async (request, reply) => {
    const count = await connectedCount(request.account!.id);
    return reply.page(DeleteAccountPage({ ctx: viewContext(request), connectedCount: count }));
  });

  app.post('/account/delete', { preHandler: requireAccount }, async (request, reply) => {
    const account = request.account!;
    try {
      const result = await deleteAccount(app.services, {
        accountId: account.id,
        password: field(request.body, 'password'),
        confirmed: field(request.body, 'confirm') === '1',
        ip: request.ip,
        trustedDevice: await request.isTrustedDevice(account.email),
      });
      request.log.info(
        {
          account_id: account.id,
          unlinked: result.unlinkedApps.length,
          notified: result.notificationIds.length,
        },
        'account deleted',
      );
    } catch (err) {
      if (!isAppError(err) || !FORM_ERRORS.has(err.code)) throw err;
      const wrongPassword = err.code === 'invalid_credentials';
      const page = DeleteAccountPage({
        ctx: viewContext(request),
        connectedCount: await connectedCount(account.id),
        message: err.code === 'validation_failed' ? undefined : request.t(err.messageKey, err.params),
        issues: wrongPassword ? [{ field: 'password', message: err.messageKey }] : err.issues,
      });
      return reply.page(page, err.status);
    }
    // The session row went with the account (cascade); this clears the cookie too.
    await reply.endSession();
    reply.rotateCsrf();
    return reply.redirect('/account/deleted', 303);
  });

  app.get('/account/deleted', async (request, reply) =>
    reply.page(GoodbyePage({ ctx: viewContext(request) })),
  );
};
