/**
 * The public URLs of an uploaded picture: `/profile-images/<id>/640.webp` and `/110.webp`. The id
 * is new at every upload, so the URLs can be cached forever and an app never shows the old face.
 * The account row keeps the 640 URL in `profile_image_url`, which every reader already reads
 * (Kakao API, ID token, consent reads); the thumbnail's URL is derived from it here.
 */
export const PROFILE_IMAGE_PATH = '/profile-images';
const OWN_PICTURE = /\/profile-images\/([A-Za-z0-9_-]{16,64})\/640\.webp$/;

export function pictureUrls(issuer: string, id: string): { profile: string; thumbnail: string } {
  const base = `${issuer}${PROFILE_IMAGE_PATH}/${id}`;
  return { profile: `${base}/640.webp`, thumbnail: `${base}/110.webp` };
}

/**
 * Kakao's `thumbnail_image_url` for a `profile_image_url`: the 110 px picture of an upload; a URL
 * from before uploads existed has one size only, and serves as both (as before).
 */
export function thumbnailUrlOf(profileImageUrl: string): string {
  return OWN_PICTURE.test(profileImageUrl)
    ? profileImageUrl.replace(/640\.webp$/, '110.webp')
    : profileImageUrl;
}
