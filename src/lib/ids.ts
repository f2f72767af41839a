/** Text ids: time-ordered prefix + randomness, so indexes stay append-friendly on both databases. */
import { randomBytes } from 'node:crypto';

export function newId(prefix = ''): string {
  const time = Date.now().toString(36).padStart(9, '0');
  return `${prefix}${time}${randomBytes(10).toString('hex')}`;
}
