/**
 * The app's side of its notifications:
 * - `POST /v1/app/notifications/:id/deletion-confirmed` — "we deleted this person's data":
 *   `confirmation_code` (required) and `status_url` (optional, http/https), form or JSON.
 *   The person's "Previously connected" list then shows the confirmation with the link.
 * - `GET /v1/app/unlinks?after=CURSOR&limit=100` — unlink events of this app, oldest first,
 *   with their delivery state, so an app that was down can reconcile. `after` is the `after`
 *   of the previous page (a notification id); `has_more` says whether to ask again at once.
 * Admin key and Kakao errors come from the scope (app-api.plugin.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { isAppError } from '../../errors/catalogue.ts';
import { kakaoErrors } from '../../kakao/kakao-errors.ts';

type Params = Record<string, unknown>;

function param(source: unknown, name: string): string | undefined {
  const v = (source as Params | undefined)?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

/** Field problems as Kakao's -2 with a message naming the fields. */
function asKakao(err: unknown): unknown {
  if (isAppError(err) && err.code === 'validation_failed')
    return kakaoErrors.badParameter(`invalid parameter. [${err.issues.map((i) => i.field).join(', ')}]`);
  if (isAppError(err) && err.code === 'not_found')
    return kakaoErrors.badParameter('no such notification of this app.');
  return err;
}

export const appNotificationRoutes: FastifyPluginAsync = async (app) => {
  const { notifications } = app.services;

  app.post('/v1/app/notifications/:id/deletion-confirmed', async (request) => {
    const { id } = request.params as { id: string };
    const input = {
      confirmation_code:
        param(request.body, 'confirmation_code') ?? param(request.query, 'confirmation_code'),
      status_url: param(request.body, 'status_url') ?? param(request.query, 'status_url'),
    };
    try {
      return await notifications.confirmDeletion(request.adminApp!.id, id, input);
    } catch (err) {
      throw asKakao(err);
    }
  });

  app.get('/v1/app/unlinks', async (request) => {
    const after = param(request.query, 'after') || undefined;
    const rawLimit = param(request.query, 'limit');
    const limit = rawLimit === undefined || rawLimit === '' ? undefined : Number(rawLimit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100))
      throw kakaoErrors.badParameter('limit must be an integer from 1 to 100.');
    try {
      const page = await notifications.listUnlinks(request.adminApp!.id, { after, limit });
      const next = new URL('/v1/app/unlinks', app.config.issuer);
      if (page.after) next.searchParams.set('after', page.after);
      next.searchParams.set('limit', String(limit ?? 100));
      return { ...page, after_url: page.has_more ? next.href : null };
    } catch (err) {
      throw asKakao(err);
    }
  });
};
