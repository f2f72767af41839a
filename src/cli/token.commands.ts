/**
 * `yeon token create`: a developer access token for the JSON management API,
 * printed once. The API then acts as that account, under the apps policy.
 */
import { type Command, Option } from 'commander';
import {
  DEFAULT_TOKEN_LIFETIME,
  TOKEN_LIFETIME_DAYS,
} from '../modules/developer-tokens/developer-tokens.service.ts';
import { CliUsageError, describeAppError } from './app-options.ts';
import { withServices } from './user.commands.ts';

const NEVER = 'never';
/** `30d`, `90d`, `365d` and `never`, from the service's list of lifetimes. */
const EXPIRY_CHOICES = [...TOKEN_LIFETIME_DAYS.map((days) => `${days}d`), NEVER];

/** `--expires-in` as the service takes it: days, or null for never. */
function expiryFromOption(value: string): number | null {
  return value === NEVER ? null : Number.parseInt(value, 10);
}

export function registerTokenCommands(program: Command): void {
  const token = program
    .command('token')
    .description('manage developer tokens for the management API (/docs)');
  token
    .command('create')
    .description('create a developer token for an account and print it (it is shown only once)')
    .requiredOption('--owner <email>', 'email of the account the token acts for')
    .option('--name <name>', 'a label to recognise the token by', 'CLI token')
    .addOption(
      new Option('--expires-in <when>', 'when the token stops working')
        .choices(EXPIRY_CHOICES)
        .default(DEFAULT_TOKEN_LIFETIME === null ? NEVER : `${DEFAULT_TOKEN_LIFETIME}d`),
    )
    .option('--json', 'print the token as JSON')
    .action(async (opts: { owner: string; name: string; expiresIn: string; json?: boolean }) => {
      const created = await withServices(async (s) => {
        const account = await s.accounts.getByEmail(opts.owner);
        if (!account) throw new CliUsageError(`--owner: no account uses the email "${opts.owner}"`);
        const made = await s.developerTokens.createToken(
          account.id,
          opts.name,
          expiryFromOption(opts.expiresIn),
        );
        return { ...made, account_id: account.id, email: account.email };
      }).catch((err) => {
        throw describeAppError(err);
      });
      const expiresAt = created.expires_at === null ? null : new Date(created.expires_at).toISOString();
      const out = {
        token: created.token,
        id: created.id,
        name: created.name,
        account_id: created.account_id,
        email: created.email,
        created_at: new Date(created.created_at).toISOString(),
        expires_at: expiresAt,
      };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(out)}\n`
          : `created token ${out.id} for ${out.email}, ${expiresAt ? `expires ${expiresAt}` : 'never expires'} (shown once):\n${out.token}\n`,
      );
    });
}
