/**
 * `yeon keys list|rotate`: the RS256 keys that sign ID tokens (Kakao "OpenID Connect":
 * the JWKS has kids and keys rotate). Decisions: docs/decisions/0002 "Signing keys".
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { resolveKeyring } from '../config/secrets.ts';
import { createDb, type Db } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { bindKeyring } from '../lib/encryption.ts';
import { ensureSigningKey, RETIRED_KEY_RETENTION_MS, rotateSigningKey } from '../oidc/signing-keys.ts';

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const { keyring } = resolveKeyring(config);
  const db = createDb(config.database);
  // Private signing keys are stored sealed (src/oidc/signing-keys.ts).
  bindKeyring(db, keyring);
  try {
    await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export function registerKeysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description('manage the RS256 keys that sign ID tokens (published at /.well-known/jwks.json)');
  keys
    .command('list')
    .description('list signing keys: kid, created, and whether each is active or retired')
    .option('--json', 'print the keys as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withDb(async (db) => {
        await ensureSigningKey(db, systemClock);
        return db
          .selectFrom('oidc_signing_keys')
          .select(['kid', 'created_at', 'retired_at'])
          .orderBy('created_at', 'desc')
          .orderBy('kid')
          .execute();
      });
      const now = systemClock.now();
      const view = rows.map((r) => ({
        kid: r.kid,
        created_at: iso(Number(r.created_at)),
        status:
          r.retired_at === null
            ? 'active'
            : Number(r.retired_at) + RETIRED_KEY_RETENTION_MS > now
              ? 'retired (still published)'
              : 'retired',
        retired_at: r.retired_at === null ? null : iso(Number(r.retired_at)),
      }));
      if (opts.json) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      else for (const k of view) process.stdout.write(`${k.kid}  ${k.status}  created ${k.created_at}\n`);
    });
  keys
    .command('rotate')
    .description(
      'add a new signing key and retire the others; retired keys stay published for 7 days so ' +
        'tokens signed before the rotation still verify. Restart every yeon instance afterwards: ' +
        'a running instance keeps signing with the key it loaded at start-up.',
    )
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withDb((db) => rotateSigningKey(db, systemClock));
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(`new signing key: ${result.kid}\n`);
        if (result.retired.length) process.stdout.write(`retired: ${result.retired.join(', ')}\n`);
        process.stdout.write('restart every yeon instance so they sign with the new key\n');
      }
    });
}
