/**
 * `yeon secrets rotate-key`: changes the key that encrypts app secrets and ID-token signing keys
 * at rest (src/lib/encryption.ts; OWASP ASVS V6.2.1, V6.4.2: keys can be replaced). Every sealed
 * value is opened with YEON_ENCRYPTION_KEY (or a YEON_ENCRYPTION_KEY_PREVIOUS key) and sealed with
 * the new key in ONE transaction: a value that cannot be opened aborts it and nothing changes.
 * The full procedure, with the order that keeps every instance reading, is in docs/operations.md.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/load-config.ts';
import { resolveKeyring } from '../config/secrets.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { resealSecrets } from '../db/secrets-at-rest.ts';
import { createKeyring, parseEncryptionKey } from '../lib/encryption.ts';

function newKeyFrom(opts: { newKeyFile?: string }, fromEnv: string | undefined): Buffer {
  const [variable, text] = opts.newKeyFile
    ? ['--new-key-file', fs.readFileSync(opts.newKeyFile, 'utf8')]
    : ['YEON_NEW_ENCRYPTION_KEY', fromEnv];
  if (text === undefined)
    throw new ConfigError(
      'YEON_NEW_ENCRYPTION_KEY',
      'must be set (or give --new-key-file) to rotate the key',
    );
  const key = parseEncryptionKey(text);
  if (!key)
    throw new ConfigError(variable, 'must be 32 random bytes as hex or base64 (openssl rand -base64 32)');
  return key;
}

const AFTER_ROTATION = [
  'Now, on every yeon instance (serve and worker), set YEON_ENCRYPTION_KEY to the new key and',
  'YEON_ENCRYPTION_KEY_PREVIOUS to the old one, and restart them one by one; once all run with',
  'the new key, remove YEON_ENCRYPTION_KEY_PREVIOUS, restart, and destroy the old key.',
].join('\n');

export function registerSecretsCommands(program: Command): void {
  const secrets = program
    .command('secrets')
    .description('manage the encryption of app secrets and signing keys at rest (YEON_ENCRYPTION_KEY)');
  secrets
    .command('rotate-key')
    .description(
      'encrypt every stored app secret, admin key, webhook secret and signing key with a new key, ' +
        'in one transaction. The new key comes from YEON_NEW_ENCRYPTION_KEY or --new-key-file ' +
        '(32 random bytes, hex or base64: openssl rand -base64 32); the current key from ' +
        'YEON_ENCRYPTION_KEY. Afterwards set YEON_ENCRYPTION_KEY to the new key on every instance ' +
        '(docs/operations.md "Rotating the encryption key").',
    )
    .option('--new-key-file <path>', 'read the new key from this file instead of YEON_NEW_ENCRYPTION_KEY')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { newKeyFile?: string; json?: boolean }) => {
      const config = loadConfig(process.env);
      const { keyring, generated } = resolveKeyring(config);
      if (generated)
        throw new ConfigError(
          'YEON_ENCRYPTION_KEY',
          'must be set to rotate: the key in secrets.json is a generated development key',
        );
      const next = createKeyring(newKeyFrom(opts, config.newEncryptionKey));
      if (next.current.id === keyring.current.id)
        throw new ConfigError('YEON_NEW_ENCRYPTION_KEY', 'is the key in use: generate a new one');
      const db = createDb(config.database);
      try {
        await migrateToLatest(db);
        const count = await resealSecrets(db, keyring, next);
        const result = { resealed: count, from_key: keyring.current.id, to_key: next.current.id };
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else
          process.stdout.write(
            `re-encrypted ${count} secrets from key ${result.from_key} to key ${result.to_key}\n${AFTER_ROTATION}\n`,
          );
      } finally {
        await db.destroy();
      }
    });
}
