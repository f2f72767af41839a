/** Home page, the language switch and the stylesheet. */
import fs from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { isLocale, LOCALE_COOKIE } from '../../i18n/locale.ts';
import { HomePage } from '../../views/pages/account-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { safeNext } from './safe-next.ts';

const stylesheet = fs.readFileSync(new URL('../../views/assets/yeon.css', import.meta.url), 'utf8');
const timeZoneScript = fs.readFileSync(new URL('../../views/assets/timezone.js', import.meta.url), 'utf8');

export const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async (request, reply) => reply.page(HomePage({ ctx: viewContext(request) })));

  // A plain link (GET) so it works without JavaScript; it changes only a preference cookie.
  app.get('/lang', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    if (isLocale(q.to)) {
      reply.setCookie(LOCALE_COOKIE, q.to, {
        path: '/',
        sameSite: 'lax',
        maxAge: 365 * 86_400,
        secure: app.config.secureCookies,
      });
      if (request.account) await app.services.accounts.setLocale(request.account.id, q.to);
    }
    return reply.redirect(safeNext(q.next, '/'), 303);
  });

  app.get('/assets/yeon.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(stylesheet),
  );

  // A file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
  app.get('/assets/timezone.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(timeZoneScript),
  );
};
