import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { resolveSecrets } from '../config/secrets.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { isAppError } from '../errors/catalogue.ts';
import { translator } from '../i18n/index.ts';
import { systemClock } from '../lib/clock.ts';
import { createServices, type Services } from '../services.ts';

/** Opens config, database and services for one command, and closes them after. */
export async function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const secrets = resolveSecrets(config);
  const db = createDb(config.database);
  try {
    await migrateToLatest(db);
    return await fn(
      createServices({ config, secrets, db, dbKind: config.database.kind, clock: systemClock }),
    );
  } finally {
    await db.destroy();
  }
}

/** Turns an AppError into one readable line for the terminal, in English. */
export function describeError(err: unknown): Error {
  if (!isAppError(err)) return err as Error;
  const t = translator('en');
  const details = err.issues.map((i) => `${i.field}: ${t(i.message, i.params)}`).join('; ');
  return new Error(`${t(err.messageKey, err.params)}${details ? ` (${details})` : ''} [${err.code}]`);
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');
  user
    .command('create')
    .description('create an account')
    .requiredOption('--email <email>', 'email address (unique, case-insensitive)')
    .requiredOption('--password <password>', 'password (at least 8 characters, not a common one)')
    .option('--nickname <nickname>', 'display name (default: the part of the email before @)')
    .option('--json', 'print the created account as JSON')
    .action(async (opts: { email: string; password: string; nickname?: string; json?: boolean }) => {
      const account = await withServices((s) =>
        s.accounts.signUp({
          email: opts.email,
          password: opts.password,
          nickname: opts.nickname ?? opts.email.split('@')[0] ?? '',
        }),
      ).catch((err) => {
        throw describeError(err);
      });
      const out = {
        id: account.id,
        email: account.email,
        nickname: account.nickname,
        created_at: new Date(account.created_at).toISOString(),
      };
      process.stdout.write(
        opts.json ? `${JSON.stringify(out)}\n` : `created account ${out.id} <${out.email}>\n`,
      );
    });
}
