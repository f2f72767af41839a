/**
 * Profile pictures: upload (decoded, re-encoded, two sizes), removal, and the bytes behind the
 * public URLs. Stored in the database so every instance serves them. No Fastify in here.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomToken } from '../../lib/crypto.ts';
import { deleteProfileImageOf, findProfileImage, insertProfileImage } from './profile-images.repo.ts';
import { pictureTooLarge, renderPicture } from './profile-picture-images.ts';
import { pictureUrls } from './profile-picture-urls.ts';

export interface PictureUpload {
  /** the file's bytes; absent when the form carried no file */
  data?: Uint8Array;
  /** the upload went over the size limit and was not kept whole */
  tooLarge: boolean;
}

export interface ServedPicture {
  contentType: string;
  bytes: Buffer;
  etag: string;
}

export function createProfilePicturesService(deps: {
  db: Kysely<Database>;
  clock: Clock;
  /** the platform's public base URL, without a trailing slash */
  issuer: string;
}) {
  const { db, clock, issuer } = deps;

  /**
   * Replaces the account's picture. Everything is decoded and encoded before the transaction
   * opens, so a refused file changes nothing, and the old row and the new one swap in one commit.
   * @throws AppError('validation_failed') on field `picture`
   */
  async function replace(accountId: string, upload: PictureUpload): Promise<void> {
    if (upload.tooLarge) throw pictureTooLarge();
    const rendered = await renderPicture(upload.data ?? new Uint8Array());
    const id = randomToken(18);
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await deleteProfileImageOf(trx, accountId);
      await insertProfileImage(trx, {
        id,
        account_id: accountId,
        content_type: rendered.contentType,
        profile_base64: rendered.profile.toString('base64'),
        thumbnail_base64: rendered.thumbnail.toString('base64'),
        etag: `"${createHash('sha256').update(rendered.profile).update(rendered.thumbnail).digest('base64url')}"`,
        updated_at: now,
      });
      await trx
        .updateTable('accounts')
        .set({ profile_image_url: pictureUrls(issuer, id).profile, updated_at: now })
        .where('id', '=', accountId)
        .execute();
    });
  }

  /** Removes the picture: apps see the default image again (`is_default_image: true`). */
  async function remove(accountId: string): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await deleteProfileImageOf(trx, accountId);
      await trx
        .updateTable('accounts')
        .set({ profile_image_url: null, updated_at: clock.now() })
        .where('id', '=', accountId)
        .execute();
    });
  }

  /** The bytes of one size of one upload, for its public URL; undefined when there is none. */
  async function picture(id: string, size: string): Promise<ServedPicture | undefined> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id) || (size !== '640' && size !== '110')) return undefined;
    const row = await findProfileImage(db, id);
    if (!row) return undefined;
    const base64 = size === '640' ? row.profile_base64 : row.thumbnail_base64;
    return {
      contentType: row.content_type,
      bytes: Buffer.from(base64, 'base64'),
      etag: `${row.etag.slice(0, -1)}-${size}"`,
    };
  }

  return { replace, remove, picture };
}

export type ProfilePicturesService = ReturnType<typeof createProfilePicturesService>;
