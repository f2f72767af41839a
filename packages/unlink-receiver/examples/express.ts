/**
 * Express 5 receiver for yeon unlink callbacks.
 *
 *   UNLINK_ADMIN_KEY=… UNLINK_SECRETS=whsec_… UNLINK_APP_ID=… PORT=3000 npx tsx examples/express.ts
 *
 * Register `http://<host>:3000/unlink` as the unlink callback (GET or POST, Kakao or JSON format).
 * The raw body is kept as text: the signature covers the exact bytes yeon sent.
 */
import { pathToFileURL } from 'node:url';
import express, { type Express } from 'express';
import { createIdempotencyStore, handleUnlinkRequest, type UnlinkHandlerOptions } from '../src/index.ts';

export function createApp(options: UnlinkHandlerOptions): Express {
  const app = express();
  const store = options.store ?? createIdempotencyStore();
  app.all('/unlink', express.text({ type: () => true, limit: '16kb' }), async (req, res) => {
    const result = await handleUnlinkRequest(
      {
        method: req.method,
        url: req.originalUrl,
        headers: req.headers,
        body: typeof req.body === 'string' ? req.body : '',
      },
      { ...options, store },
    );
    res.status(result.status).json(result.body);
  });
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secrets = (process.env.UNLINK_SECRETS ?? '').split(',').filter(Boolean);
  const app = createApp({
    adminKey: process.env.UNLINK_ADMIN_KEY || undefined,
    secrets,
    appId: process.env.UNLINK_APP_ID || undefined,
    onUnlink(event) {
      if (event.test) {
        console.log(`test notification ${event.id} received`);
        return;
      }
      // Delete or anonymise the user's data here, keyed by (event.appId, event.userId).
      console.log(`user ${event.userId} unlinked from app ${event.appId} (${event.referrerType})`);
    },
  });
  const port = Number(process.env.PORT ?? 3000);
  app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/unlink`));
}
