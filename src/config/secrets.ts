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

export function resolveSecrets(config: Config): Secrets {
  if (config.cookieSecret) return { cookieSecret: config.cookieSecret, generated: false };
  if (config.env === 'production') {
    throw new ConfigError(
      'YEON_COOKIE_SECRET',
      'must be set in production (generated development secrets are refused)',
    );
  }
  const file = readOrCreate(path.join(config.dataDir, 'secrets.json'));
  return { cookieSecret: file.cookieSecret, generated: true };
}
