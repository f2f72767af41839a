/**
 * The account holder's "Account use" pages: Manage Connected Services and account
 * deletion, added to the menu of /account (Account → Account use → Manage Connected Services).
 */
import type { FastifyPluginAsync } from 'fastify';
import { accountDeleteRoutes } from './account-delete.routes.ts';
import { connectedServicesRoutes } from './connected-services.routes.ts';
import { historyRoutes } from './history.routes.ts';
import { securityRoutes } from './security.routes.ts';

export const accountUseRoutes: FastifyPluginAsync = async (app) => {
  app.accountMenu.push(
    { href: '/account/connected-services', labelKey: 'connected.menu' },
    { href: '/account/delete', labelKey: 'connected.delete.menu' },
  );
  app.accountMenu.push({ href: '/account/security', labelKey: 'security.menu' });
  await app.register(connectedServicesRoutes);
  await app.register(historyRoutes);
  await app.register(securityRoutes);
  await app.register(accountDeleteRoutes);
};
