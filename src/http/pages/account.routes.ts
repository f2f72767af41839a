/**
 * `/account`: view and edit the profile; upload or remove the profile picture; the pictures'
 * public URLs. The upload is the page's only multipart form: its parser is registered in a child
 * scope around that one route, as the console's icon upload is.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../errors/catalogue.ts';
import type { ProfileInput } from '../../modules/accounts/profile.ts';
import { PICTURE_MAX_BYTES } from '../../modules/accounts/profile-picture-images.ts';
import { PROFILE_IMAGE_PATH } from '../../modules/accounts/profile-picture-urls.ts';
import { AccountPage } from '../../views/pages/account-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { readMultipartForm } from '../console/multipart-form.ts';
import { field } from '../form-fields.ts';

/** preHandler: pages that need a signed-in person send others to the login page and back. */
export async function requireAccount(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.account) return;
  if (request.method !== 'GET') throw new AppError('unauthenticated');
  await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

const PROFILE_FIELDS = [
  'nickname',
  'name',
  'gender',
  'birth_date',
  'birthyear_private',
  'age_range',
  'phone_number',
] as const;

/** One file, the CSRF field and nothing else; over 5 MB the file is cut and flagged, not an error. */
const PICTURE_MULTIPART_OPTIONS = {
  limits: { fileSize: PICTURE_MAX_BYTES, files: 1, fields: 4, fieldSize: 4096, parts: 5 },
  throwFileSizeLimit: false,
};

/** The bytes behind an id never change (a new upload gets a new id): caches may keep them a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export const accountRoutes: FastifyPluginAsync = async (app) => {
  const menu = (request: FastifyRequest) =>
    app.accountMenu.map((m) => ({ href: m.href, label: request.t(m.labelKey) }));

  app.get('/account', { preHandler: requireAccount }, async (request, reply) => {
    const query = request.query as Record<string, string>;
    const email = await app.services.emailVerification.status(request.account!);
    const picture = query.picture === 'updated' || query.picture === 'removed' ? query.picture : undefined;
    const page = AccountPage({
      ctx: viewContext(request),
      account: request.account!,
      saved: query.saved === '1',
      picture,
      menu: menu(request),
      email: { ...email, sent: query.verification === 'sent' },
    });
    return reply.page(page);
  });

  app.post('/account', { preHandler: requireAccount }, async (request, reply) => {
    const input: ProfileInput = {};
    for (const key of PROFILE_FIELDS) input[key] = field(request.body, key);
    try {
      await app.services.accounts.updateProfile(request.account!.id, input);
      return reply.redirect('/account?saved=1', 303);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'validation_failed') throw err;
      const page = AccountPage({
        ctx: viewContext(request),
        account: request.account!,
        values: input as never,
        issues: err.issues,
        menu: menu(request),
      });
      return reply.page(page, 400);
    }
  });

  app.post('/account/picture/remove', { preHandler: requireAccount }, async (request, reply) => {
    await app.services.profilePictures.remove(request.account!.id);
    return reply.redirect('/account?picture=removed', 303);
  });

  // Public, like Kakao's picture URLs: apps show them in their own pages without a token.
  app.get(`${PROFILE_IMAGE_PATH}/:imageId/:file`, async (request, reply) => {
    const { imageId, file } = request.params as { imageId: string; file: string };
    const size = /^(640|110)\.webp$/.exec(file)?.[1];
    const picture = size ? await app.services.profilePictures.picture(imageId, size) : undefined;
    if (!picture) throw new AppError('not_found');
    reply
      .header('cache-control', IMMUTABLE)
      .header('etag', picture.etag)
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('content-disposition', 'inline');
    if (request.headers['if-none-match'] === picture.etag) return reply.code(304).send();
    return reply.header('content-type', picture.contentType).send(picture.bytes);
  });

  await app.register(async (upload) => {
    await upload.register(multipart, PICTURE_MULTIPART_OPTIONS);
    upload.post('/account/picture', { preHandler: requireAccount }, async (request, reply) => {
      const form = await readMultipartForm(request);
      try {
        await app.services.profilePictures.replace(request.account!.id, {
          data: form.file?.data,
          tooLarge: form.fileTooLarge,
        });
        return reply.redirect('/account?picture=updated', 303);
      } catch (err) {
        if (!isAppError(err) || err.code !== 'validation_failed') throw err;
        const page = AccountPage({
          ctx: viewContext(request),
          account: request.account!,
          issues: err.issues,
          menu: menu(request),
        });
        return reply.page(page, 400);
      }
    });
  });
};
