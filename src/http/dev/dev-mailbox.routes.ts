/**
 * `/dev/mailbox`: the development mailbox's list and messages (src/modules/mail/dev-mailbox.ts).
 * Registered by app.ts only when `yeon serve` started the mailbox, which it never does in
 * production (config refuses production without YEON_SMTP_URL), so in production these paths
 * do not exist and answer 404. Read-only: no forms, nothing to protect with CSRF.
 */
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../errors/catalogue.ts';
import type { DevMailbox } from '../../modules/mail/dev-mailbox.ts';
import { DEV_MAILBOX_PATH, DevMailboxPage, DevMailMessagePage } from '../../views/pages/dev-mailbox-page.tsx';
import { viewContext } from '../../views/view-context.ts';

export const devMailboxRoutes: FastifyPluginAsync<{ mailbox: DevMailbox }> = async (app, { mailbox }) => {
  app.get(DEV_MAILBOX_PATH, async (request, reply) =>
    reply
      .header('cache-control', 'no-store')
      .page(DevMailboxPage({ ctx: viewContext(request), messages: mailbox.list() })),
  );

  app.get(`${DEV_MAILBOX_PATH}/:id`, async (request, reply) => {
    const message = mailbox.get((request.params as { id: string }).id);
    if (!message) throw new AppError('not_found');
    return reply
      .header('cache-control', 'no-store')
      .page(DevMailMessagePage({ ctx: viewContext(request), message }));
  });
};
