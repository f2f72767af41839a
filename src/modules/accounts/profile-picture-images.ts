/**
 * Turns an uploaded photo into the two pictures Kakao serves (Kakao REST API "Retrieve user
 * information": `profile_image_url` 640 px, `thumbnail_image_url` 110 px). The bytes are decoded
 * by sharp (libvips) and re-encoded, never stored as sent: the output carries no EXIF, so no GPS
 * position or camera serial leaves with the picture (OWASP ASVS V12.1; "File Upload Cheat
 * Sheet": re-write images to drop metadata and anything that is not the image).
 */
import type { Metadata } from 'sharp';
import { type FieldIssue, validationError } from '../../errors/catalogue.ts';

/** The largest file the account page accepts. */
export const PICTURE_MAX_BYTES = 5 * 1024 * 1024;
/**
 * Pixels the header may claim before anything is decoded: a few kilobytes of PNG can declare
 * 20000 × 20000 and ask for gigabytes ("decompression bomb"). 50 MP is above what a phone's
 * ordinary photo mode takes and still fits a 5 MB file.
 */
export const PICTURE_MAX_PIXELS = 50_000_000;
export const PROFILE_SIZE = 640;
export const THUMBNAIL_SIZE = 110;

/**
 * Formats the page accepts. HEIC is not among them: the prebuilt libvips that sharp ships has
 * libheif with the AV1 decoder only (`sharp.format.heif.input.fileSuffix` is `['.avif']`); HEVC
 * pictures, which is what an iPhone's .heic holds, cannot be decoded without a patent-encumbered
 * codec. SVG is refused on purpose: it is a document, not a photo.
 */
const READABLE_FORMATS = new Set(['jpeg', 'png', 'webp']);
export const ACCEPTED_TYPES = 'image/jpeg,image/png,image/webp';

/**
 * sharp loads libvips (about 30 MB resident and a thread pool) when imported: loaded with the
 * first upload, not at start, so a server nobody uploads to never holds it.
 */
let sharpModule: Promise<typeof import('sharp')> | undefined;
async function loadSharp() {
  sharpModule ??= import('sharp');
  return (await sharpModule).default;
}

export interface RenderedPicture {
  contentType: 'image/webp';
  /** long side at most 640, aspect kept */
  profile: Buffer;
  /** 110 × 110, cropped to the square */
  thumbnail: Buffer;
}

function refused(message: string, params?: FieldIssue['params']) {
  return validationError([{ field: 'picture', message, ...(params ? { params } : {}) }]);
}

/** Field issue for a file over `PICTURE_MAX_BYTES`. */
export function pictureTooLarge() {
  return refused('profile.picture.too_large', { max: '5 MB' });
}

/**
 * Brands of an HEVC-coded HEIF file (ISO/IEC 23008-12 Annex B): an iPhone's .heic. Told apart from
 * "not a picture" so the person learns what to do instead; see READABLE_FORMATS for why.
 */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/** The `ftyp` box (ISO/IEC 14496-12 §4.3) names an HEIC brand, major or compatible. */
function isHeic(bytes: Uint8Array): boolean {
  const ascii = (from: number) => String.fromCharCode(...bytes.subarray(from, from + 4));
  if (bytes.length < 12 || ascii(4) !== 'ftyp') return false;
  const boxEnd = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0));
  // major brand at 8, minor version at 12, compatible brands from 16 to the end of the box
  const brands = [ascii(8)];
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(at));
  return brands.some((b) => HEIC_BRANDS.has(b));
}

/**
 * @throws AppError('validation_failed') on field `picture` when the bytes are not a whole JPEG,
 *         PNG or WebP, or claim more than `PICTURE_MAX_PIXELS`.
 */
export async function renderPicture(bytes: Uint8Array): Promise<RenderedPicture> {
  if (bytes.length === 0) throw refused('profile.picture.missing');
  if (bytes.length > PICTURE_MAX_BYTES) throw pictureTooLarge();
  if (isHeic(bytes)) throw refused('profile.picture.heic');
  // failOn 'warning': a truncated JPEG decodes with a grey bottom and only a libjpeg warning;
  // refuse it rather than store half a face.
  const options = { limitInputPixels: PICTURE_MAX_PIXELS, failOn: 'warning' as const };
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (err) {
    // sharp reads the header and refuses a claimed size over limitInputPixels before decoding.
    if (/pixel limit/i.test(String((err as Error)?.message)))
      throw refused('profile.picture.too_many_pixels');
    throw refused('profile.picture.not_image');
  }
  if (!meta.format || !READABLE_FORMATS.has(meta.format)) throw refused('profile.picture.not_image');
  if (!meta.width || !meta.height || meta.width * meta.height > PICTURE_MAX_PIXELS)
    throw refused('profile.picture.too_many_pixels');
  try {
    // Turned upright by its EXIF orientation before cropping; output keeps no metadata (sharp
    // writes none unless asked with keepMetadata).
    const upright = sharp(bytes, options).autoOrient();
    const [profile, thumbnail] = await Promise.all([
      upright
        .clone()
        .resize(PROFILE_SIZE, PROFILE_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer(),
      upright
        .clone()
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover', position: 'centre' })
        .webp({ quality: 80 })
        .toBuffer(),
    ]);
    return { contentType: 'image/webp', profile, thumbnail };
  } catch {
    throw refused('profile.picture.not_image');
  }
}
