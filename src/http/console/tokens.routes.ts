/**
 * Console: the signed-in developer's API tokens for the management API (slot; filled by the
 * console tokens work).
 */
import type { FastifyPluginAsync } from 'fastify';

export const tokensRoutes: FastifyPluginAsync = async () => {};
