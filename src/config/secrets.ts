/**
 * Secrets that must survive restarts but that a developer should not have to invent:
 * generated on first start into `<data dir>/secrets.json` (mode 0600) unless given in the
 * environment. Production refuses generated ones, because a secret that was
 * never chosen by an operator was never backed up or rotated by one either.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createKeyring, type Keyring, parseEncryptionKey } from '../lib/encryption.ts';
import { ensurePrivateDir } from '../lib/private-files.ts';
import { type Config, ConfigError } from './load-config.ts';

export interface Secrets {
  cookieSecret: string;
  /** seals app secrets and signing keys at rest (src/lib/encryption.ts) */
  keyring: Keyring;
  /** true when at least one secret came from the generated file rather than the environment. */
  generated: boolean;
}

interface SecretsFile {
  cookieSecret: string;
  /** base64url of 32 random bytes; absent in files written before secrets were sealed at rest */
  encryptionKey?: string;
  createdAt: string;
}

const LOCK_WAIT_MS = 5000;

function damaged(file: string): ConfigError {
  return new ConfigError('YEON_DATA_DIR', `${file} is damaged: delete it to generate new secrets`);
}

function readFile(file: string): SecretsFile | undefined {
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SecretsFile>;
  if (typeof parsed.cookieSecret !== 'string' || parsed.cookieSecret.length < 32) throw damaged(file);
  if (parsed.encryptionKey !== undefined && !parseEncryptionKey(parsed.encryptionKey)) throw damaged(file);
  return parsed as SecretsFile;
}

/**
 * Writes a whole file under a temporary name and links it into place: a reader never sees half a
 * file, and link(2), like 'wx', never overwrites, so two instances starting at once keep the first.
 */
function createOnce(file: string, content: SecretsFile): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A secrets.json from before encryption at rest gets an encryption key added, once: under a lock
 * file ('wx'), the file is read again and replaced whole (rename), so two instances upgrading at
 * once agree on one key instead of each sealing with its own.
 */
function addEncryptionKey(file: string): SecretsFile {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lock, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (fd !== undefined) {
      try {
        const current = readFile(file);
        if (!current) throw damaged(file);
        if (current.encryptionKey) return current;
        const updated = { ...current, encryptionKey: randomBytes(32).toString('base64url') };
        const temp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temp, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 });
        fs.renameSync(temp, file);
        return updated;
      } finally {
        fs.closeSync(fd);
        fs.rmSync(lock, { force: true });
      }
    }
    const seen = readFile(file);
    if (seen?.encryptionKey) return seen;
    if (Date.now() > deadline)
      throw new ConfigError('YEON_DATA_DIR', `${lock} is held: delete it if no other yeon is starting`);
    sleep(20);
  }
}

function readOrCreate(file: string): SecretsFile & { encryptionKey: string } {
  ensurePrivateDir(path.dirname(file));
  let found = readFile(file);
  if (!found) {
    const created: SecretsFile = {
      cookieSecret: randomBytes(32).toString('base64url'),
      encryptionKey: randomBytes(32).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    if (createOnce(file, created)) return created as SecretsFile & { encryptionKey: string };
    found = readFile(file);
    if (!found) throw damaged(file);
  }
  if (!found.encryptionKey) found = addEncryptionKey(file);
  return found as SecretsFile & { encryptionKey: string };
}

/**
 * Why an operator's cookie secret is too weak to sign production sessions and CSRF tokens, or
 * undefined: at least 32 bytes (a 256-bit HMAC key, RFC 2104 §3) and at least 16 distinct
 * characters, which refuses `aaaa…`, `abcabc…` and a long run of one digit (OWASP ASVS V6.4).
 */
export function cookieSecretWeakness(secret: string): string | undefined {
  if (Buffer.byteLength(secret) < 32) return 'is shorter than 32 bytes';
  if (new Set(secret).size < 16)
    return 'has fewer than 16 distinct characters (use e.g. openssl rand -base64 32)';
  return undefined;
}

function keyFrom(variable: string, text: string): Buffer {
  const key = parseEncryptionKey(text);
  if (!key)
    throw new ConfigError(variable, 'must be 32 random bytes as hex or base64 (openssl rand -base64 32)');
  return key;
}

/** YEON_ENCRYPTION_KEY_PREVIOUS: keys that still open values during a rolling key swap. */
function previousKeys(config: Config): Buffer[] {
  const list = config.encryptionKeyPrevious?.split(',').filter((k) => k.trim() !== '') ?? [];
  return list.map((k) => keyFrom('YEON_ENCRYPTION_KEY_PREVIOUS', k));
}

/**
 * The keyring that seals app secrets and signing keys at rest (OWASP ASVS V6.4.1): the operator's
 * YEON_ENCRYPTION_KEY, required in production; in development a key generated into secrets.json.
 * For processes that need no cookie secret (`yeon worker`, `yeon keys`, `yeon secrets`).
 */
export function resolveKeyring(config: Config): { keyring: Keyring; generated: boolean } {
  // Every process passes here, so a data folder left 0755 by an older release is tightened at
  // its next start; a folder not there yet is created 0700 when something is first put in it.
  if (fs.existsSync(config.dataDir)) ensurePrivateDir(config.dataDir);
  if (config.encryptionKey)
    return {
      keyring: createKeyring(keyFrom('YEON_ENCRYPTION_KEY', config.encryptionKey), previousKeys(config)),
      generated: false,
    };
  if (config.env === 'production')
    throw new ConfigError(
      'YEON_ENCRYPTION_KEY',
      'must be set in production: 32 random bytes as hex or base64 (openssl rand -base64 32)',
    );
  const file = readOrCreate(path.join(config.dataDir, 'secrets.json'));
  const key = keyFrom('YEON_DATA_DIR', file.encryptionKey);
  return { keyring: createKeyring(key, previousKeys(config)), generated: true };
}

export function resolveSecrets(config: Config): Secrets {
  let cookieSecret: string;
  if (config.cookieSecret) {
    const weakness = config.env === 'production' ? cookieSecretWeakness(config.cookieSecret) : undefined;
    if (weakness) throw new ConfigError('YEON_COOKIE_SECRET', `${weakness}: too weak for production`);
    cookieSecret = config.cookieSecret;
  } else {
    if (config.env === 'production') {
      throw new ConfigError(
        'YEON_COOKIE_SECRET',
        'must be set in production (generated development secrets are refused)',
      );
    }
    cookieSecret = readOrCreate(path.join(config.dataDir, 'secrets.json')).cookieSecret;
  }
  const { keyring, generated } = resolveKeyring(config);
  return { cookieSecret, keyring, generated: generated || !config.cookieSecret };
}
