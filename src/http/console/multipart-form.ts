/**
 * Reads a multipart form (the app icon upload) with the CSRF check done *before* any
 * file byte is read: the `_csrf` field must come first — browsers send fields in document order and
 * our form puts it first — so a forged cross-site upload is refused without buffering a megabyte.
 * The router checks the token (csrf.plugin.ts `verifyCsrf`, the same check as every urlencoded
 * form) before the handler runs; this module reads what follows.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/catalogue.ts';
import { checkedMultipart } from '../plugins/csrf.plugin.ts';

export const ICON_MAX_BYTES = 1_048_576;

/** Options for registering @fastify/multipart around the upload route only. */
export const MULTIPART_OPTIONS = {
  limits: { fileSize: ICON_MAX_BYTES, files: 1, fields: 20, fieldSize: 4096, parts: 21 },
  throwFileSizeLimit: false,
};

export interface MultipartForm {
  fields: Record<string, string>;
  /** the one file part, when the browser sent a non-empty one */
  file?: { field: string; filename: string; mimetype: string; data: Buffer };
  /** true when the file went over `ICON_MAX_BYTES` (it was not kept) */
  fileTooLarge: boolean;
}

/**
 * The rest of the form after the router's CSRF check (csrf.plugin.ts `verifyCsrf`), which read the
 * body up to its `_csrf` field and refused it if a file came first.
 * @throws AppError('csrf_invalid') when that check did not run;
 *         AppError('bad_request') when the body is not multipart.
 */
export async function readMultipartForm(request: FastifyRequest): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new AppError('bad_request');
  const checked = checkedMultipart(request);
  const form: MultipartForm = { fields: { ...checked.fields }, fileTooLarge: false };
  // The plugin is registered with `throwFileSizeLimit: false` (see MULTIPART_OPTIONS): an
  // oversized file comes back truncated and flagged, so the form can say so in the person's words.
  for await (const part of checked.parts) {
    if (part.type === 'field') {
      form.fields[part.fieldname] = typeof part.value === 'string' ? part.value : '';
      continue;
    }
    const data = await part.toBuffer();
    if (part.file.truncated) form.fileTooLarge = true;
    else if (data.length > 0)
      form.file = { field: part.fieldname, filename: part.filename, mimetype: part.mimetype, data };
  }
  return form;
}
