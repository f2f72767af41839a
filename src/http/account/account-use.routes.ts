/**
 * The account holder's "Account use" pages: Manage Connected Services and account
 * deletion, added to the menu of /account (Account → Account use → Manage Connected Services).
 */
import type { FastifyPluginAsync } from 'fastify';
import { accountDeleteRoutes } from './account-delete.routes.ts';
import { connectedServicesRoutes } from './connected-services.routes.ts';

export const accountUseRoutes: FastifyPluginAsync = async (app) => {
  app.accountMenu.push(
    { href: '/account/connected-services', labelKey: 'connected.menu' },
    { href: '/account/delete', labelKey: 'connected.delete.menu' },
  );
  await app.register(connectedServicesRoutes);
  await app.register(accountDeleteRoutes);
};
