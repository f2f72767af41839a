/**
 * buildTestApp(t): the real app on a fresh migrated database of the current lane, closed with the
 * test. Only the clock and outbound receivers are ever faked: the process boundary, never our own
 * modules.
 */
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/load-config.ts';
import type { Secrets } from '../../src/config/secrets.ts';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createKeyring } from '../../src/lib/encryption.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  testDb: TestDatabase;
}

/** The encryption key of in-process test apps; CLI children get it as YEON_ENCRYPTION_KEY. */
export const TEST_ENCRYPTION_KEY = 'dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWI';

export const TEST_SECRETS: Secrets = {
  cookieSecret: 'test-cookie-secret-0123456789abcdef0123456789',
  keyring: createKeyring(Buffer.from(TEST_ENCRYPTION_KEY, 'base64url')),
  generated: false,
};

type Hook = (fn: () => Promise<void>) => void;

export async function buildTestApp(
  t: Pick<TestContext, 'after'> | { after: Hook },
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    listen?: boolean;
    /** receives the JSON log lines (level info) instead of discarding them */
    logStream?: { write(line: string): void };
    /** runs before `ready()`: tests register test-only routes here */
    setup?: (app: FastifyInstance) => void | Promise<void>;
    /** sees every route as it is registered (route-table tests) */
    onRoute?: AppDeps['onRoute'];
  } = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const config = {
    // Shedding by event-loop lag is production's default; a loaded test machine lags by design,
    // so test apps shed only when a test asks (test/ops/overload.test.ts).
    ...loadConfig({
      YEON_ENV: 'test',
      YEON_LOG_LEVEL: 'silent',
      YEON_MAX_EVENT_LOOP_DELAY_MS: '0',
      ...options.env,
    }),
    database: testDb.config,
  };
  const db = createDb(config.database);
  await migrateToLatest(db);
  const logger = options.logStream ? { level: 'info', stream: options.logStream } : false;
  const app = await buildApp({
    config,
    secrets: TEST_SECRETS,
    db,
    clock: options.clock,
    logger,
    onRoute: options.onRoute,
  });
  await options.setup?.(app);
  if (options.listen) await app.listen({ host: '127.0.0.1', port: 0 });
  else await app.ready();
  t.after(async () => {
    await app.close();
    await db.destroy();
    await testDb.drop();
  });
  return { app, db, config, testDb };
}
