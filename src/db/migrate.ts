/**
 * Applies the migrations in `migrations/index.ts`: by `yeon migrate` and at `yeon serve` start.
 * Kysely's Migrator takes a lock table, so several instances starting together migrate once.
 */
import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations/index.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function migrateToLatest<DB>(
  db: Kysely<DB>,
): Promise<NonNullable<MigrationResultSet['results']>> {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'yeon_migrations',
    migrationLockTableName: 'yeon_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(
      `migration ${failed?.migrationName ?? '?'} failed: ${String((error as Error).message ?? error)}`,
      {
        cause: error,
      },
    );
  }
  return results ?? [];
}
