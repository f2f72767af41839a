/** Table of migration 2026-12-06T0900_profile_images: one uploaded profile picture per account. */

export interface ProfileImagesTable {
  /** random, public: it is the path segment of both URLs (`/profile-images/<id>/640.webp`) */
  id: string;
  account_id: string;
  /** of both sizes: `image/webp` */
  content_type: string;
  /** the 640 px picture (long side at most 640), base64 */
  profile_base64: string;
  /** the 110 px square thumbnail, base64 */
  thumbnail_base64: string;
  /** strong validator of this upload (RFC 9110 §8.8.3); the bytes behind an id never change */
  etag: string;
  updated_at: number;
}

export interface ProfileImagesTables {
  profile_images: ProfileImagesTable;
}
