/**
 * Manage Connected Services (연결된 서비스 관리, as Kakao's) under
 * /account/connected-services. Thin handlers: the read model is `services.connectedServices`, every change
 * is one call to `services.connections` (which enforces Kakao's two cases and writes the
 * notification in the unlink's own transaction). Every change is GET (confirmation) → POST → 303.
 */
import fs from 'node:fs';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/catalogue.ts';
import { isConsentItem } from '../../modules/connections/connected-services.service.ts';
import {
  DeleteAllConfirmPage,
  DisconnectConfirmPage,
  LeaveInPersonPage,
  WithdrawConfirmPage,
} from '../../views/pages/connected/confirm-pages.tsx';
import {
  appPath,
  ConnectedDetailPage,
  ConnectedListPage,
  LIST_PATH,
} from '../../views/pages/connected/connected-pages.tsx';
import { receiptJson, UnlinkReceiptPage } from '../../views/pages/connected/receipt-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { appIdOf } from '../console/console-helpers.ts';
import { requireAccount } from '../pages/account.routes.ts';
import { openAppTarget } from './open-app.ts';
import { receiptReaderOf } from './receipt-reader.ts';

const receiptScript = fs.readFileSync(new URL('../../views/assets/receipt-live.js', import.meta.url), 'utf8');

const stylesheet = fs.readFileSync(
  new URL('../../views/pages/connected/connected.css', import.meta.url),
  'utf8',
);

type Query = Record<string, string | undefined>;

export const connectedServicesRoutes: FastifyPluginAsync = async (app) => {
  app.get('/assets/connected.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(stylesheet),
  );

  app.get('/assets/receipt-live.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(receiptScript),
  );

  const pages = app.services.connectedServices;
  /** The signed-in person and the URL's app: the service finds only the person's own links. */
  const target = (request: FastifyRequest) => [request.account!.id, appIdOf(request)] as const;
  const itemOf = (request: FastifyRequest) => (request.params as { item?: string }).item;

  app.get(LIST_PATH, { preHandler: requireAccount }, async (request, reply) => {
    const listed = await pages.list(request.account!.id);
    // Only names from this person's own history are shown: a crafted link cannot inject text.
    const unlinked = (request.query as Query).unlinked;
    const gone = unlinked ? listed.previous.find((p) => String(p.appId) === unlinked) : undefined;
    const notice = gone ? request.t('connected.unlinked', { app: gone.name }) : undefined;
    return reply.page(ConnectedListPage({ ctx: viewContext(request), ...listed, notice }));
  });

  app.get(`${LIST_PATH}/:appId`, { preHandler: requireAccount }, async (request, reply) => {
    const { connected, items } = await pages.detail(...target(request));
    const withdrawn = (request.query as Query).withdrawn;
    const notice = isConsentItem(withdrawn)
      ? request.t('connected.withdrawn', { item: request.t(`interaction.item.${withdrawn}`) })
      : undefined;
    return reply.page(ConnectedDetailPage({ ctx: viewContext(request), app: connected, items, notice }));
  });

  // ---- withdraw an optional item ---------------------------------------------------------------
  app.get(`${LIST_PATH}/:appId/withdraw/:item`, { preHandler: requireAccount }, async (request, reply) => {
    const { connected, item } = await pages.withdrawable(...target(request), itemOf(request));
    return reply.page(WithdrawConfirmPage({ ctx: viewContext(request), app: connected, item }));
  });

  app.post(`${LIST_PATH}/:appId/withdraw/:item`, { preHandler: requireAccount }, async (request, reply) => {
    const { connected, item } = await pages.withdraw(...target(request), itemOf(request));
    return reply.redirect(`${appPath(connected.appId)}?withdrawn=${item}`, 303);
  });

  // ---- unlink (case 1: the app has an unlink callback; case 2: it has none) ---------------------
  app.get(`${LIST_PATH}/:appId/delete-all`, { preHandler: requireAccount }, async (request, reply) => {
    const { connected, platforms } = await pages.deleteAllChoice(...target(request));
    const ctx = viewContext(request);
    if (!platforms) return reply.page(DeleteAllConfirmPage({ ctx, app: connected }));
    // Case 2: nothing can reach the app's data; send the person to the app itself.
    const openUrl = openAppTarget(platforms, request.headers['user-agent']);
    return reply.page(LeaveInPersonPage({ ctx, app: connected, openUrl }));
  });

  app.get(`${LIST_PATH}/:appId/disconnect`, { preHandler: requireAccount }, async (request, reply) => {
    const connected = await pages.disconnectable(...target(request));
    return reply.page(DisconnectConfirmPage({ ctx: viewContext(request), app: connected }));
  });

  for (const [path, by] of [
    ['delete-all', 'delete_all'],
    ['disconnect', 'disconnect'],
  ] as const) {
    app.post(`${LIST_PATH}/:appId/${path}`, { preHandler: requireAccount }, async (request, reply) => {
      const connected = await pages.unlink(...target(request), by);
      request.log.info({ account_id: request.account!.id, app_id: connected.appId, by }, 'unlink');
      // Delete All Data told the app: the receipt shows when it arrives. Disconnect told nobody.
      const next =
        by === 'delete_all'
          ? `${appPath(connected.appId)}/receipt`
          : `${LIST_PATH}?unlinked=${connected.appId}`;
      return reply.redirect(next, 303);
    });
  }

  // ---- the receipt of the latest Delete All Data, live (its .json twin feeds receipt-live.js) ---
  app.get(`${LIST_PATH}/:appId/receipt`, { preHandler: requireAccount }, async (request, reply) => {
    const receipt = await app.services.receipts.forUnlink(...target(request));
    const page = UnlinkReceiptPage({
      ctx: viewContext(request),
      appName: receipt.entries[0]?.appName ?? '',
      receipt,
      jsonUrl: `${appPath(receipt.appId)}/receipt.json`,
    });
    return reply.page(page);
  });

  // A 401, not the login page's redirect: the live script stops instead of parsing a page.
  const requireAccountJson = async (request: FastifyRequest) => {
    if (!request.account) throw new AppError('unauthenticated');
  };
  app.get(`${LIST_PATH}/:appId/receipt.json`, { preHandler: requireAccountJson }, async (request, reply) => {
    const receipt = await app.services.receipts.forUnlink(...target(request));
    return reply.header('cache-control', 'no-store').send(receiptJson(receiptReaderOf(request), receipt));
  });
};
