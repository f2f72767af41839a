/**
 * Credential buttons of the overview page: admin key rotate/revoke, reissuing a key with an
 * overlap and stopping a replaced key early (app-key-rotation.ts), and the client secret on/off
 * and regenerate. Each is one POST → one service call → redirect with a notice;
 * a refusal the person can act on (last admin key, key limits, an invalid choice) is shown on the page.
 */
import type { FastifyPluginAsync } from 'fastify';
import { OverviewPage } from '../../views/pages/console/overview-page.tsx';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, saveOrRerender } from './console-helpers.ts';

export const credentialsRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;
  const page: Parameters<typeof saveOrRerender>[2]['page'] = (ctx, detail, issues, message) =>
    OverviewPage({ ctx, app: detail, issues, message });

  app.post('/developers/apps/:appId/admin-keys/rotate', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      done: 'admin_rotated',
      save: () => apps.rotateAdminKey(actorOf(request), appId),
      page,
    });
  });

  app.post('/developers/apps/:appId/admin-keys/revoke', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      done: 'admin_revoked',
      save: () => apps.revokeAdminKey(actorOf(request), appId, field(request.body, 'key_id')),
      page,
    });
  });

  app.post('/developers/apps/:appId/keys/rotate', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      done: 'key_rotated',
      hash: 'key-rotation',
      save: () =>
        apps.rotateAppKey(actorOf(request), appId, {
          kind: field(request.body, 'kind'),
          overlap: field(request.body, 'overlap'),
        }),
      page,
    });
  });

  app.post('/developers/apps/:appId/keys/stop', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      done: 'key_stopped',
      hash: 'key-rotation',
      save: () => apps.stopPreviousKey(actorOf(request), appId, field(request.body, 'key_id')),
      page,
    });
  });

  app.post('/developers/apps/:appId/client-secret', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      save: () =>
        apps.setClientSecretEnabled(actorOf(request), appId, field(request.body, 'enabled') === '1'),
      page,
    });
  });

  app.post('/developers/apps/:appId/client-secret/regenerate', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'overview',
      done: 'secret_regenerated',
      save: () => apps.regenerateClientSecret(actorOf(request), appId),
      page,
    });
  });
};
