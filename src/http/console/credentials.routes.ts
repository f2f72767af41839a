/**
 * Credential buttons of the overview page: admin key rotate/revoke, reissuing a key with an
 * overlap and stopping a replaced key early (app-key-rotation.ts), and the client secret on/off
 * and regenerate. Each is one POST → one service call → redirect with a notice;
 * a refusal the person can act on (last admin key, key limits, an invalid choice) is shown on the page.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { OverviewPage } from '../../views/pages/console/overview-page.tsx';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, type NoticeCode, saveOrRerender } from './console-helpers.ts';

type Body = FastifyRequest['body'];

export const credentialsRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;
  const page: Parameters<typeof saveOrRerender>[2]['page'] = (ctx, detail, issues, message) =>
    OverviewPage({ ctx, app: detail, issues, message });

  /** One overview button: POST → `save` (one service call) → back to the overview with `done`. */
  const button = (
    path: string,
    save: (actor: ReturnType<typeof actorOf>, appId: number, body: Body) => Promise<unknown>,
    done?: NoticeCode,
    hash?: string,
  ) =>
    app.post(`/developers/apps/:appId/${path}`, async (request, reply) => {
      const appId = appIdOf(request);
      return saveOrRerender(request, reply, {
        appId,
        section: 'overview',
        done,
        hash,
        save: () => save(actorOf(request), appId, request.body),
        page,
      });
    });

  button('admin-keys/rotate', (actor, appId) => apps.rotateAdminKey(actor, appId), 'admin_rotated');
  button(
    'admin-keys/revoke',
    (actor, appId, body) => apps.revokeAdminKey(actor, appId, field(body, 'key_id')),
    'admin_revoked',
  );
  button(
    'keys/rotate',
    (actor, appId, body) =>
      apps.rotateAppKey(actor, appId, { kind: field(body, 'kind'), overlap: field(body, 'overlap') }),
    'key_rotated',
    'key-rotation',
  );
  button(
    'keys/stop',
    (actor, appId, body) => apps.stopPreviousKey(actor, appId, field(body, 'key_id')),
    'key_stopped',
    'key-rotation',
  );
  button('client-secret', (actor, appId, body) =>
    apps.setClientSecretEnabled(actor, appId, field(body, 'enabled') === '1'),
  );
  button(
    'client-secret/regenerate',
    (actor, appId) => apps.regenerateClientSecret(actor, appId),
    'secret_regenerated',
  );
};
