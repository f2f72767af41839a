/**
 * `yeon token create`: a developer access token for the JSON management API,
 * printed once. The API then acts as that account, under the apps policy.
 */
import type { Command } from 'commander';
import { CliUsageError, describeAppError } from './app-options.ts';
import { withServices } from './user.commands.ts';

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('manage developer tokens for the management API (/docs)');
  token
    .command('create')
    .description('create a developer token for an account and print it (it is shown only once)')
    .requiredOption('--owner <email>', 'email of the account the token acts for')
    .option('--name <name>', 'a label to recognise the token by', 'CLI token')
    .option('--json', 'print the token as JSON')
    .action(async (opts: { owner: string; name: string; json?: boolean }) => {
      const created = await withServices(async (s) => {
        const account = await s.accounts.getByEmail(opts.owner);
        if (!account) throw new CliUsageError(`--owner: no account uses the email "${opts.owner}"`);
        const made = await s.developerTokens.createToken(account.id, opts.name);
        return { ...made, account_id: account.id, email: account.email };
      }).catch((err) => {
        throw describeAppError(err);
      });
      const out = {
        token: created.token,
        id: created.id,
        name: created.name,
        account_id: created.account_id,
        email: created.email,
        created_at: new Date(created.created_at).toISOString(),
      };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(out)}\n`
          : `created token ${out.id} for ${out.email} (shown once):\n${out.token}\n`,
      );
    });
}
