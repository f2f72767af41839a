/**
 * The password hasher's worker thread (password.ts): argon2id runs here, synchronously, one hash
 * per thread at a time, so neither the event loop nor libuv's shared thread pool (fs, dns.lookup)
 * ever waits behind a 10 ms hash. Plain JavaScript so the same file loads from the sources and
 * from the bundle (scripts/build.mjs keeps `new URL(…, import.meta.url)` pointing here).
 */
import { hashSync, verifySync } from '@node-rs/argon2';

/** @param {{ password: string, options: import('@node-rs/argon2').Options }} task */
export function hash({ password, options }) {
  return hashSync(password, options);
}

/** A damaged or foreign hash never verifies. @param {{ hashed: string, password: string }} task */
export function verify({ hashed, password }) {
  try {
    return verifySync(hashed, password);
  } catch {
    return false;
  }
}
