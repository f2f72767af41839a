/**
 * A fresh migrated database of the current lane for OIDC engine tests that need no HTTP app,
 * closed and dropped with the test.
 */
import type { TestContext } from 'node:test';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

export async function freshDb(t: Pick<TestContext, 'after'>): Promise<Db> {
  const testDb = await createTestDatabase();
  const db = createDb(testDb.config);
  await migrateToLatest(db);
  t.after(async () => {
    await db.destroy();
    await testDb.drop();
  });
  return db;
}
