/** `/account`: view and edit the profile. */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../errors/catalogue.ts';
import type { ProfileInput } from '../../modules/accounts/profile.ts';
import { AccountPage } from '../../views/pages/account-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';

/** preHandler: pages that need a signed-in person send others to the login page and back. */
export async function requireAccount(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.account) return;
  if (request.method !== 'GET') throw new AppError('unauthenticated');
  await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}

const PROFILE_FIELDS = [
  'nickname',
  'profile_image_url',
  'name',
  'gender',
  'birthday',
  'birthyear',
  'age_range',
  'phone_number',
] as const;

export const accountRoutes: FastifyPluginAsync = async (app) => {
  const menu = (request: FastifyRequest) =>
    app.accountMenu.map((m) => ({ href: m.href, label: request.t(m.labelKey) }));

  app.get('/account', { preHandler: requireAccount }, async (request, reply) => {
    const query = request.query as Record<string, string>;
    const email = await app.services.emailVerification.status(request.account!);
    const page = AccountPage({
      ctx: viewContext(request),
      account: request.account!,
      saved: query.saved === '1',
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
};
