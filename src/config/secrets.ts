/**
 * Secrets that must survive restarts but that a developer should not have to invent:
 * generated on first start into `<data dir>/secrets.json` (mode 0600) unless given in the
 * environment. Production refuses generated ones, because a secret that was
 * never chosen by an operator was never backed up or rotated by one either.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from './load-config.ts';

export interface Secrets {
  cookieSecret: string;
  /** true when at least one secret came from the generated file rather than the environment. */
  generated: boolean;
}

interface SecretsFile {
  cookieSecret: string;
  createdAt: string;
}

function readOrCreate(file: string): SecretsFile {
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SecretsFile>;
    if (typeof parsed.cookieSecret === 'string' && parsed.cookieSecret.length >= 32)
      return parsed as SecretsFile;
    throw new ConfigError('YEON_DATA_DIR', `${file} is damaged: delete it to generate new secrets`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const created: SecretsFile = {
    cookieSecret: randomBytes(32).toString('base64url'),
    createdAt: new Date().toISOString(),
  };
  // 'wx' never overwrites: two instances starting at once keep the first file.
  try {
    fs.writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreate(file);
    throw err;
  }
  return created;
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

export function resolveSecrets(config: Config): Secrets {
  if (config.cookieSecret) {
    const weakness = config.env === 'production' ? cookieSecretWeakness(config.cookieSecret) : undefined;
    if (weakness) throw new ConfigError('YEON_COOKIE_SECRET', `${weakness}: too weak for production`);
    return { cookieSecret: config.cookieSecret, generated: false };
  }
  if (config.env === 'production') {
    throw new ConfigError(
      'YEON_COOKIE_SECRET',
      'must be set in production (generated development secrets are refused)',
    );
  }
  const file = readOrCreate(path.join(config.dataDir, 'secrets.json'));
  return { cookieSecret: file.cookieSecret, generated: true };
}
