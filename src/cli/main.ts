/**
 * The `yeon` command line. Every command has --help; errors print one clear line
 * (naming the variable for configuration errors) and exit non-zero.
 */
// First, for its side effect: silences oidc-provider's Node 20 runtime warning before anything
// imports the engine (modules run in import order).
import './quiet-engine-warning.ts';
import { Command } from 'commander';
import { ConfigError } from '../config/load-config.ts';
import { registerAppCommands } from './app.commands.ts';
import { registerDemoCommands } from './demo.commands.ts';
import { registerKeysCommands } from './keys.commands.ts';
import { endEngineWarningFilter } from './quiet-engine-warning.ts';
import { registerSecretsCommands } from './secrets.commands.ts';
import { registerMigrateCommand, registerServeCommand } from './server.commands.ts';
import { registerTokenCommands } from './token.commands.ts';
import { registerUnlinkCommand } from './unlink.commands.ts';
import { registerUserCommands } from './user.commands.ts';
import { registerWorkerCommand } from './worker.commands.ts';

export function buildCli(): Command {
  const program = new Command('yeon')
    .description('yeon (연): a self-hosted identity platform with a Kakao-Login-compatible API')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerUserCommands(program);
  registerAppCommands(program);
  registerTokenCommands(program);
  registerKeysCommands(program);
  registerSecretsCommands(program);
  registerUnlinkCommand(program);
  registerWorkerCommand(program);
  registerDemoCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  endEngineWarningFilter();
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`yeon: configuration error: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    const e = err as Error & { issues?: Array<{ field: string; message: string }> };
    process.stderr.write(`yeon: ${e.message}\n`);
    process.exit(1);
  }
}
