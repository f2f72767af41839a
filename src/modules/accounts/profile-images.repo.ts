/** Queries of `profile_images`: one uploaded picture per account, both sizes in the row. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ProfileImagesTable } from '../../db/tables/profile-images.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export async function deleteProfileImageOf(db: Executor, accountId: string): Promise<void> {
  await db.deleteFrom('profile_images').where('account_id', '=', accountId).execute();
}

export async function insertProfileImage(db: Executor, row: Insertable<ProfileImagesTable>): Promise<void> {
  await db.insertInto('profile_images').values(row).execute();
}

export async function findProfileImage(db: Executor, id: string) {
  return db.selectFrom('profile_images').selectAll().where('id', '=', id).executeTakeFirst();
}
