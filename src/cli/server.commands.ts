import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { createDb } from '../db/create-db.ts';
import { migrateToLatest } from '../db/migrate.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'apply migrations and start the server (configuration from YEON_* variables and DATABASE_URL)',
    )
    .option('-p, --port <port>', 'port to listen on (overrides YEON_PORT)')
    .action(async (opts: { port?: string }) => {
      // Imported here, not at the top: the other commands never load the HTTP app (its pages,
      // OAuth engine and API docs), and start faster through tsx.
      const { closeOnSignals, startServer } = await import('../server.ts');
      const env = { ...process.env, ...(opts.port ? { YEON_PORT: opts.port } : {}) };
      const server = await startServer(env);
      closeOnSignals(server);
      server.app.log.info(
        `yeon is listening on ${server.url} (issuer ${server.config.issuer}, database ${server.config.database.kind})`,
      );
      if (server.devMailbox)
        server.app.log.info(
          `no YEON_SMTP_URL: mail is caught in the development mailbox at ${server.url}/dev/mailbox`,
        );
    });
}

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const config = loadConfig(process.env);
      const db = createDb(config.database);
      try {
        const results = await migrateToLatest(db);
        for (const r of results) process.stdout.write(`applied ${r.migrationName}\n`);
        process.stdout.write(
          results.length ? 'database is up to date\n' : 'nothing to apply: database is up to date\n',
        );
      } finally {
        await db.destroy();
      }
    });
}
