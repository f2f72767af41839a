/**
 * The developer console pages, mounted inside the pages scope (form bodies parsed).
 * Every console route requires a signed-in account (scope-wide preHandler, before each route's
 * CSRF check); every read and change goes through the apps service and so through its policy.
 */
import fs from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { requireAccount } from '../pages/account.routes.ts';
import { appsListRoutes } from './apps.routes.ts';
import { credentialsRoutes } from './credentials.routes.ts';
import { deliveriesRoutes } from './deliveries.routes.ts';
import { membersRoutes } from './members.routes.ts';
import { overviewRoutes } from './overview.routes.ts';
import { settingsRoutes } from './settings.routes.ts';
import { tokensRoutes } from './tokens.routes.ts';
import { unlinkRoutes } from './unlink.routes.ts';

const stylesheet = fs.readFileSync(new URL('../../views/pages/console/console.css', import.meta.url), 'utf8');

export const consoleRoutes: FastifyPluginAsync = async (app) => {
  app.get('/assets/console.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(stylesheet),
  );

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireAccount);
    await signedIn.register(appsListRoutes);
    await signedIn.register(overviewRoutes);
    await signedIn.register(credentialsRoutes);
    await signedIn.register(settingsRoutes);
    await signedIn.register(unlinkRoutes);
    await signedIn.register(deliveriesRoutes);
    await signedIn.register(membersRoutes);
    await signedIn.register(tokensRoutes);
  });
};
