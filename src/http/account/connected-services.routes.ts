/**
 * Manage Connected Services (연결된 서비스 관리, as Kakao's) under
 * /account/connected-services. Thin handlers: the read model is `connectedServicesOf`, every change
 * is one call to `services.connections` (which enforces Kakao's two cases and writes the
 * notification in the unlink's own transaction). Every change is GET (confirmation) → POST → 303.
 */
import fs from 'node:fs';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/catalogue.ts';
import { listPlatforms } from '../../modules/apps/apps.repo.ts';
import { CONSENT_ITEMS } from '../../modules/apps/apps.types.ts';
import { type ConnectedApp, connectedServicesOf } from '../../modules/connections/connected-services.ts';
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
  type DetailItem,
  LIST_PATH,
} from '../../views/pages/connected/connected-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { appIdOf } from '../console/console-helpers.ts';
import { requireAccount } from '../pages/account.routes.ts';
import { verifyCsrf } from '../plugins/csrf.plugin.ts';
import { openAppTarget } from './open-app.ts';

const stylesheet = fs.readFileSync(
  new URL('../../views/pages/connected/connected.css', import.meta.url),
  'utf8',
);

type Query = Record<string, string | undefined>;

function isItem(value: string | undefined): value is string {
  return !!value && (CONSENT_ITEMS as readonly string[]).includes(value);
}

export const connectedServicesRoutes: FastifyPluginAsync = async (app) => {
  app.get('/assets/connected.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(stylesheet),
  );

  /** The live link of the signed-in person to the URL's app, or 404 (never someone else's). */
  async function liveApp(request: FastifyRequest): Promise<ConnectedApp> {
    const appId = appIdOf(request);
    const { connected } = await connectedServicesOf(app.db, request.account!.id);
    const found = connected.find((c) => c.appId === appId);
    if (!found) throw new AppError('not_found');
    return found;
  }

  app.get(LIST_PATH, { preHandler: requireAccount }, async (request, reply) => {
    const { connected, previous } = await connectedServicesOf(app.db, request.account!.id);
    // Only names from this person's own history are shown: a crafted link cannot inject text.
    const unlinked = (request.query as Query).unlinked;
    const gone = unlinked ? previous.find((p) => String(p.appId) === unlinked) : undefined;
    const notice = gone ? request.t('connected.unlinked', { app: gone.name }) : undefined;
    return reply.page(ConnectedListPage({ ctx: viewContext(request), connected, previous, notice }));
  });

  app.get(`${LIST_PATH}/:appId`, { preHandler: requireAccount }, async (request, reply) => {
    const connected = await liveApp(request);
    const modes = new Map(
      (await app.services.apps.getConsentItems(connected.appId)).map((i) => [i.item as string, i.mode]),
    );
    const order = (item: string) => (CONSENT_ITEMS as readonly string[]).indexOf(item);
    const items: DetailItem[] = connected.items
      .map((i) => ({ ...i, required: modes.get(i.item) === 'required' }))
      .sort((a, b) => order(a.item) - order(b.item));
    const withdrawn = (request.query as Query).withdrawn;
    const notice = isItem(withdrawn)
      ? request.t('connected.withdrawn', { item: request.t(`interaction.item.${withdrawn}`) })
      : undefined;
    return reply.page(ConnectedDetailPage({ ctx: viewContext(request), app: connected, items, notice }));
  });

  // ---- withdraw an optional item ---------------------------------------------------------------
  async function withdrawable(request: FastifyRequest) {
    const connected = await liveApp(request);
    const item = (request.params as { item?: string }).item;
    const row = connected.items.find((i) => i.item === item && i.withdrawnAt === null);
    if (!isItem(item) || !row) throw new AppError('not_found');
    const mode = (await app.services.apps.getConsentItems(connected.appId)).find(
      (i) => i.item === item,
    )?.mode;
    if (mode === 'required') throw new AppError('consent_item_required');
    return { connected, item };
  }

  app.get(`${LIST_PATH}/:appId/withdraw/:item`, { preHandler: requireAccount }, async (request, reply) => {
    const { connected, item } = await withdrawable(request);
    return reply.page(WithdrawConfirmPage({ ctx: viewContext(request), app: connected, item }));
  });

  app.post(
    `${LIST_PATH}/:appId/withdraw/:item`,
    { preHandler: [requireAccount, verifyCsrf] },
    async (request, reply) => {
      const { connected, item } = await withdrawable(request);
      await app.services.connections.withdraw({
        accountId: request.account!.id,
        appId: connected.appId,
        item,
      });
      return reply.redirect(`${appPath(connected.appId)}?withdrawn=${item}`, 303);
    },
  );

  // ---- unlink (case 1: the app has an unlink callback; case 2: it has none) ---------------------
  app.get(`${LIST_PATH}/:appId/delete-all`, { preHandler: requireAccount }, async (request, reply) => {
    const connected = await liveApp(request);
    const ctx = viewContext(request);
    if (connected.hasUnlinkCallback) return reply.page(DeleteAllConfirmPage({ ctx, app: connected }));
    // Case 2: nothing can reach the app's data; send the person to the app itself.
    const platforms = await listPlatforms(app.db, connected.appId);
    const openUrl = openAppTarget(platforms, request.headers['user-agent']);
    return reply.page(LeaveInPersonPage({ ctx, app: connected, openUrl }));
  });

  app.get(`${LIST_PATH}/:appId/disconnect`, { preHandler: requireAccount }, async (request, reply) => {
    const connected = await liveApp(request);
    // Case 1 offers only Delete All Data, as at Kakao: a Disconnect would skip the app's notice.
    if (connected.hasUnlinkCallback) throw new AppError('unlink_option_unavailable');
    return reply.page(DisconnectConfirmPage({ ctx: viewContext(request), app: connected }));
  });

  for (const [path, by] of [
    ['delete-all', 'delete_all'],
    ['disconnect', 'disconnect'],
  ] as const) {
    app.post(
      `${LIST_PATH}/:appId/${path}`,
      { preHandler: [requireAccount, verifyCsrf] },
      async (request, reply) => {
        const connected = await liveApp(request);
        await app.services.connections.unlink({ accountId: request.account!.id, appId: connected.appId, by });
        request.log.info({ account_id: request.account!.id, app_id: connected.appId, by }, 'unlink');
        return reply.redirect(`${LIST_PATH}?unlinked=${connected.appId}`, 303);
      },
    );
  }
};
