/** `/developers`: my apps and "create an app". */
import type { FastifyPluginAsync } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { AppsListPage, type CreateAppValues } from '../../views/pages/console/apps-list-page.tsx';
import { appPath } from '../../views/pages/console/console-shell.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf, noticeOf } from './console-helpers.ts';

export const appsListRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;

  app.get('/developers', async (request, reply) => {
    const list = await apps.listAppsForAccount(actorOf(request));
    return reply.page(AppsListPage({ ctx: viewContext(request), apps: list, notice: noticeOf(request) }));
  });

  app.post('/developers/apps', async (request, reply) => {
    const values: CreateAppValues = {
      name: field(request.body, 'name'),
      company_name: field(request.body, 'company_name'),
    };
    try {
      const created = await apps.createApp(actorOf(request), values);
      return reply.redirect(`${appPath(created.app_id)}?done=created`, 303);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'validation_failed') throw err;
      const list = await apps.listAppsForAccount(actorOf(request));
      return reply.page(
        AppsListPage({ ctx: viewContext(request), apps: list, values, issues: err.issues }),
        err.status,
      );
    }
  });
};
