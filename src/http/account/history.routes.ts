/**
 * The person's connection history (/account/history) and its download as JSON or CSV (GDPR Art. 15
 * right of access, Art. 20 right to data portability). Only the signed-in person's own rows are
 * read; the file is an attachment, never cached (it is personal data).
 */
import type { FastifyPluginAsync } from 'fastify';
import {
  ConnectionHistoryPage,
  HISTORY_PATH,
  historyDownloadPath,
} from '../../views/pages/connected/history-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { requireAccount } from '../pages/account.routes.ts';

export const historyRoutes: FastifyPluginAsync = async (app) => {
  const pages = app.services.connectedServices;

  app.get(HISTORY_PATH, { preHandler: requireAccount }, async (request, reply) => {
    const groups = await pages.historyOf(request.account!.id);
    return reply.page(ConnectionHistoryPage({ ctx: viewContext(request), groups }));
  });

  for (const format of ['json', 'csv'] as const) {
    app.get(historyDownloadPath(format), { preHandler: requireAccount }, async (request, reply) => {
      const file = await pages.historyDownload(request.account!.id, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    });
  }
};
