/**
 * The overview page (the app's dashboard and its keys) and its forms: basics, icon upload/removal, deleting the app.
 * The icon upload is the console's only multipart form; its parser is registered in a child
 * scope around that one route, so no other route accepts multipart bodies.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors/catalogue.ts';
import { type BasicsValues, basicsValuesOf } from '../../views/pages/console/basics-section.tsx';
import { OverviewPage } from '../../views/pages/console/overview-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, loadApp, noticeOf, saveOrRerender } from './console-helpers.ts';
import { MULTIPART_OPTIONS, readMultipartForm } from './multipart-form.ts';

export const overviewRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;

  app.get('/developers/apps/:appId', async (request, reply) => {
    const appId = appIdOf(request);
    const ctx = viewContext(request);
    const detail = await loadApp(request, appId);
    // Days are the viewer's calendar days (src/modules/apps/app-dashboard.ts).
    const dashboard = await apps.getAppDashboard(actorOf(request), appId, { timeZone: ctx.timeZone });
    return reply.page(OverviewPage({ ctx, app: detail, dashboard, notice: noticeOf(request) }));
  });

  app.post('/developers/apps/:appId/basics', async (request, reply) => {
    const appId = appIdOf(request);
    const values: BasicsValues = {
      name: field(request.body, 'name'),
      company_name: field(request.body, 'company_name'),
      description: field(request.body, 'description'),
      privacy_policy_url: field(request.body, 'privacy_policy_url'),
      terms_url: field(request.body, 'terms_url'),
    };
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      save: () => apps.updateBasics(actorOf(request), appId, values),
      page: (ctx, detail, issues) => OverviewPage({ ctx, app: detail, values, issues }),
    });
  });

  app.post('/developers/apps/:appId/icon/remove', async (request, reply) => {
    const appId = appIdOf(request);
    await apps.removeIcon(actorOf(request), appId);
    return reply.redirect(`/developers/apps/${appId}?done=icon_removed`, 303);
  });

  // Icons are shown only to members here; consent screens get theirs from the OAuth pages.
  app.get('/developers/apps/:appId/icon', async (request, reply) => {
    const appId = appIdOf(request);
    await loadApp(request, appId);
    const icon = await apps.getIcon(appId);
    if (!icon) throw new AppError('not_found');
    return reply
      .header('content-type', icon.content_type)
      .header('cache-control', 'private, no-cache')
      .header('content-disposition', 'inline')
      .send(icon.bytes);
  });

  app.post('/developers/apps/:appId/delete', async (request, reply) => {
    const appId = appIdOf(request);
    const detail = await loadApp(request, appId);
    if (field(request.body, 'confirm_name').trim() !== detail.name) {
      // Ask the policy first: a member must see 403, not a confirmation error.
      if (!detail.permissions.delete) throw new AppError('forbidden');
      const issues = [{ field: 'confirm_name', message: 'console.delete.mismatch' }];
      return reply.page(OverviewPage({ ctx: viewContext(request), app: detail, issues }), 400);
    }
    // The app is gone at once; the unlink notifications it owes are still being delivered.
    const { notified } = await apps.deleteApp(actorOf(request), appId);
    return reply.redirect(
      notified ? `/developers?done=deleted_notifying&n=${notified}` : '/developers?done=deleted',
      303,
    );
  });

  await app.register(async (upload) => {
    await upload.register(multipart, MULTIPART_OPTIONS);
    upload.post('/developers/apps/:appId/icon', async (request, reply) => {
      const appId = appIdOf(request);
      const form = await readMultipartForm(request);
      return saveOrRerender(request, reply, {
        appId,
        section: 'overview',
        done: 'icon_updated',
        save: async () => {
          if (form.fileTooLarge) {
            // The bytes were not kept, so the service cannot judge; ask the policy's answer first.
            if (!(await loadApp(request, appId)).permissions.update) throw new AppError('forbidden');
            throw new AppError('validation_failed', {
              issues: [{ field: 'icon', message: 'apps.validation.icon_too_large', params: { max: '1 MB' } }],
            });
          }
          await apps.setIcon(actorOf(request), appId, { bytes: form.file?.data ?? new Uint8Array() });
        },
        page: (ctx, detail, issues) =>
          OverviewPage({ ctx, app: detail, values: basicsValuesOf(detail), issues }),
      });
    });
  });
};
