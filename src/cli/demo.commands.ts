/**
 * `yeon demo setup|reset`: `npm start` calls `setup` before it starts yeon and the two
 * demo apps; `reset` (also `npm start -- --reset`) removes them again. `yeon serve` never touches
 * the demo, so operators get a yeon without it.
 */
import type { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { ensureDemo, resetDemo } from '../modules/demo/demo.setup.ts';
import { describeError, withServices } from './user.commands.ts';

export function registerDemoCommands(program: Command): void {
  const demo = program.command('demo').description('the first-run demo apps (used by npm start)');
  demo
    .command('setup')
    .description(
      'register Demo Shop and Demo Blog and create the demo account, unless they exist; ' +
        'credentials are kept in <data dir>/demo/credentials.json',
    )
    .requiredOption('--shop-url <url>', 'Demo Shop base URL, e.g. http://localhost:8081')
    .requiredOption('--blog-url <url>', 'Demo Blog base URL, e.g. http://localhost:8082')
    .option('--json', 'print the credentials as JSON')
    .action(async (opts: { shopUrl: string; blogUrl: string; json?: boolean }) => {
      const config = loadConfig(process.env);
      const urls = { yeon: config.issuer, shop: opts.shopUrl, blog: opts.blogUrl };
      const { credentials, created } = await withServices((s) => ensureDemo(s, config.dataDir, urls)).catch(
        (err) => {
          throw describeError(err);
        },
      );
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ created, ...credentials })}\n`
          : `${created ? 'created' : 'reusing'} Demo Shop (${credentials.shop.app_id}) and Demo Blog (${credentials.blog.app_id})\n`,
      );
    });
  demo
    .command('reset')
    .description('remove the demo apps, the demo accounts and the demo apps’ data files')
    .action(async () => {
      const config = loadConfig(process.env);
      const removed = await withServices((s) => resetDemo(s, config.dataDir));
      process.stdout.write(
        removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove: no demo data\n',
      );
    });
}
