/**
 * A fresh migrated database of the current lane for OIDC engine tests that need no HTTP app,
 * closed and dropped with the test.
 */
import type { TestContext } from 'node:test';
import { createDb, type Db } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { bindKeyring } from '../../src/lib/encryption.ts';
import { TEST_SECRETS } from '../helpers/build-test-app.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

export async function freshDb(t: Pick<TestContext, 'after'>): Promise<Db> {
  const testDb = await createTestDatabase();
  const db = createDb(testDb.config);
  await migrateToLatest(db);
  // Signing keys are stored sealed: the key in-process test apps use (build-test-app.ts).
  bindKeyring(db, TEST_SECRETS.keyring);
  t.after(async () => {
    await db.destroy();
    await testDb.drop();
  });
  return db;
}
