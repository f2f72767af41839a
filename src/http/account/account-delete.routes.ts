/**
 * `/account/delete`: the password again and a confirmation checkbox, then
 * `deleteAccount` (one transaction), the browser session ended, and a goodbye page. When apps were
 * told, the goodbye page is the deletion receipt, opened by its receipt link (there is no session
 * any more), live like every receipt.
 */
import type { FastifyPluginAsync } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { DeleteAccountPage, GoodbyePage } from '../../views/pages/connected/account-delete-pages.tsx';
import {
  DeletionReceiptPage,
  ReceiptLinkInvalidPage,
  receiptJson,
} from '../../views/pages/connected/receipt-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { requireAccount } from '../pages/account.routes.ts';
import { receiptReaderOf } from './receipt-reader.ts';

/** Refusals shown on the form itself; anything else goes to the error handler. */
const FORM_ERRORS = new Set([
  'validation_failed',
  'invalid_credentials',
  'login_throttled',
  'account_sole_owner',
]);

export const accountDeleteRoutes: FastifyPluginAsync = async (app) => {
  /** The live links, and the names of the apps that will be told (those that can be reached). */
  const connectedNow = async (accountId: string) => {
    const { connected } = await app.services.connectedServices.list(accountId);
    return {
      connectedCount: connected.length,
      toldApps: connected.filter((c) => c.hasUnlinkCallback).map((c) => c.name),
    };
  };

  app.get('/account/delete', { preHandler: requireAccount }, async (request, reply) => {
    const now = await connectedNow(request.account!.id);
    return reply.page(DeleteAccountPage({ ctx: viewContext(request), ...now }));
  });

  app.post('/account/delete', { preHandler: requireAccount }, async (request, reply) => {
    const account = request.account!;
    let receiptToken: string | undefined;
    try {
      const result = await app.services.receipts.deleteAccountWithReceipt(app.services, {
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
      receiptToken = result.receiptToken;
    } catch (err) {
      if (!isAppError(err) || !FORM_ERRORS.has(err.code)) throw err;
      // The person is signed in and only the password was asked: "email or password" would mislead.
      const wrongPassword = err.code === 'invalid_credentials';
      const messageKey = wrongPassword ? 'receipts.delete.wrong_password' : err.messageKey;
      const page = DeleteAccountPage({
        ctx: viewContext(request),
        ...(await connectedNow(account.id)),
        message: err.code === 'validation_failed' ? undefined : request.t(messageKey, err.params),
        issues: wrongPassword ? [{ field: 'password', message: messageKey }] : err.issues,
      });
      return reply.page(page, err.status);
    }
    // The session row went with the account (cascade); this clears the cookie too.
    await reply.endSession();
    reply.rotateCsrf();
    return reply.redirect(receiptToken ? `/account/deleted/${receiptToken}` : '/account/deleted', 303);
  });

  app.get('/account/deleted', async (request, reply) =>
    reply.page(GoodbyePage({ ctx: viewContext(request) })),
  );

  // ---- the deletion receipt, by its link (no session); the .json twin feeds receipt-live.js ----
  // The token is in the path; the site-wide strict-origin-when-cross-origin Referrer-Policy sends
  // only the origin to other sites, so the token never leaves for another site in a Referer.
  app.get('/account/deleted/:token', async (request, reply) => {
    const token = (request.params as { token: string }).token;
    try {
      const receipt = await app.services.receipts.byLink(token);
      const path = `/account/deleted/${token}`;
      const page = DeletionReceiptPage({
        ctx: viewContext(request),
        receipt,
        link: `${app.config.issuer}${path}`,
        expiresAt: receipt.expiresAt,
        jsonUrl: `${path}.json`,
      });
      return reply.page(page);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'not_found') throw err;
      return reply.page(ReceiptLinkInvalidPage({ ctx: viewContext(request) }), 404);
    }
  });

  app.get('/account/deleted/:token.json', async (request, reply) => {
    const receipt = await app.services.receipts.byLink((request.params as { token: string }).token);
    return reply.header('cache-control', 'no-store').send(receiptJson(receiptReaderOf(request), receipt));
  });
};
