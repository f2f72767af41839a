/**
 * The data folder and the files in it hold secrets and personal data: only yeon's own user may
 * read them (OWASP ASVS V6.1, V14.1: folder 0700, files 0600). A folder or file left more open by
 * an older release or a default umask is tightened when yeon opens it.
 */
import fs from 'node:fs';

/** Creates the folder 0700 (with its parents), or tightens it to 0700 if it exists. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(dir).mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
}

/** Tightens an existing file to 0600; a missing file is left missing. */
export function makePrivateFile(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o777) !== 0o600) fs.chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
