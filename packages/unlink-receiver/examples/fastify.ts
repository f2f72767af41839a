/**
 * Fastify 5 receiver for yeon unlink callbacks.
 *
 *   UNLINK_ADMIN_KEY=… UNLINK_SECRETS=whsec_… UNLINK_APP_ID=… PORT=3000 npx tsx examples/fastify.ts
 *
 * Every body is kept as a raw string in this route's scope: the signature covers the exact bytes.
 */
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { createIdempotencyStore, handleUnlinkRequest, type UnlinkHandlerOptions } from '../src/index.ts';

export async function buildServer(options: UnlinkHandlerOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: 16 * 1024 });
  const store = options.store ?? createIdempotencyStore();
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.route({
      method: ['GET', 'POST'],
      url: '/unlink',
      handler: async (req, reply) => {
        const result = await handleUnlinkRequest(
          {
            method: req.method,
            url: req.url,
            headers: req.headers,
            body: typeof req.body === 'string' ? req.body : '',
          },
          { ...options, store },
        );
        return reply.code(result.status).send(result.body);
      },
    });
  });
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await buildServer({
    adminKey: process.env.UNLINK_ADMIN_KEY || undefined,
    secrets: (process.env.UNLINK_SECRETS ?? '').split(',').filter(Boolean),
    appId: process.env.UNLINK_APP_ID || undefined,
    onUnlink(event) {
      if (event.test) return;
      // Delete or anonymise the user's data here, keyed by (event.appId, event.userId).
      app.log.info({ event }, 'user unlinked');
    },
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });
}
