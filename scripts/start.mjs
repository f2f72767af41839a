#!/usr/bin/env node
/**
 * `npm start` (the README's first command): yeon on SQLite in ./data plus the two demo
 * apps, each its own process, port and SQLite file:
 *
 *   1. `yeon demo setup` registers Demo Shop and Demo Blog and the demo account, unless they
 *      exist (credentials in <data dir>/demo/credentials.json, reused on restart);
 *   2. `yeon serve`, Demo Shop and Demo Blog start; once all three answer, one block says what to try.
 *
 *   npm start -- --reset     first wipe the demo (same as `yeon demo reset`), then start afresh
 *
 * Ports: YEON_PORT (8080), YEON_DEMO_SHOP_PORT (8081), YEON_DEMO_BLOG_PORT (8082); data: YEON_DATA_DIR.
 * Other arguments go to `yeon serve`. `yeon serve` alone runs yeon without any demo.
 *
 * package.json runs this with `exec`, so npm's SIGTERM reaches this process; Ctrl-C or SIGTERM
 * stops all three children, and if one of them dies the others are stopped too.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const yeonBin = path.join(root, 'bin/yeon');
const args = process.argv.slice(2);
const reset = args.includes('--reset');
const serveArgs = args.filter((a) => a !== '--reset');

const env = { ...process.env };
const yeonPort = env.YEON_PORT || '8080';
const yeonUrl = (env.YEON_ISSUER || `http://localhost:${yeonPort}`).replace(/\/+$/, '');
const shopUrl = `http://localhost:${env.YEON_DEMO_SHOP_PORT || '8081'}`;
const blogUrl = `http://localhost:${env.YEON_DEMO_BLOG_PORT || '8082'}`;
const dataDir = path.resolve(root, env.YEON_DATA_DIR || './data');
const demoDir = path.join(dataDir, 'demo');
env.YEON_DATA_DIR = dataDir;
// The demo shows an unlink being delivered: look for due notifications often and retry soon
// (production defaults: 1 s poll, first retry after 5 s). Set the variables to override.
env.YEON_NOTIFY_POLL_MS ??= '200';
env.YEON_NOTIFY_SCHEDULE ??= '2s,10s,1m,5m,30m,2h';
// Keep the terminal for the block below; warnings and errors still show.
env.YEON_LOG_LEVEL ??= 'warn';

function runYeon(cliArgs) {
  const result = spawnSync(process.execPath, [yeonBin, ...cliArgs], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? '');
    process.stderr.write(`npm start: \`yeon ${cliArgs.join(' ')}\` failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

if (reset) process.stdout.write(runYeon(['demo', 'reset']));
const setupOut = runYeon(['demo', 'setup', '--shop-url', shopUrl, '--blog-url', blogUrl, '--json']);
const demo = JSON.parse(setupOut.trim().split('\n').pop());

const childEnv = {
  ...env,
  YEON_DEMO_CREDENTIALS: path.join(demoDir, 'credentials.json'),
  YEON_DEMO_DIR: demoDir,
};
const children = [
  ['yeon', [yeonBin, 'serve', ...serveArgs]],
  ['Demo Shop', ['--import', 'tsx', path.join(root, 'demo/shop/server.ts')]],
  ['Demo Blog', ['--import', 'tsx', path.join(root, 'demo/blog/server.ts')]],
].map(([name, argv]) => {
  const child = spawn(process.execPath, argv, { cwd: root, env: childEnv, stdio: 'inherit' });
  return { name, child, exited: false };
});

let stopping = false;
function stopAll(signal = 'SIGTERM') {
  for (const c of children) if (!c.exited) c.child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    stopAll(signal);
  });
}
let exitCode = 0;
for (const c of children) {
  c.child.on('exit', (code, signal) => {
    c.exited = true;
    if (!stopping) {
      process.stderr.write(
        `npm start: ${c.name} stopped (${signal ?? `exit ${code}`}); stopping the others\n`,
      );
      exitCode = code || 1;
      stopping = true;
      stopAll();
    }
    if (children.every((x) => x.exited)) process.exit(exitCode);
  });
}

async function answers(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

// Bounded wait (3 minutes: a cold tsx start on a loaded machine can take half a minute).
const probes = [`${yeonUrl}/readyz`, `${shopUrl}/healthz`, `${blogUrl}/healthz`];
for (let i = 0; i < 360 && !stopping; i++) {
  if ((await Promise.all(probes.map(answers))).every(Boolean)) break;
  if (i === 359) {
    process.stderr.write('npm start: yeon and the demo apps did not answer within 3 minutes\n');
    stopping = true;
    exitCode = 1;
    stopAll();
  }
  await new Promise((r) => setTimeout(r, 500));
}

if (!stopping) {
  const line = '─'.repeat(72);
  process.stdout.write(
    [
      line,
      ` yeon is running at ${yeonUrl}, with two demo apps. Try the whole loop:`,
      '',
      ` 1. Open Demo Shop at ${shopUrl} and press "Log in with yeon".`,
      ` 2. Log in as ${demo.person.email}, password ${demo.person.password}, and agree.`,
      ' 3. Add a wish to your wish list.',
      ` 4. Open ${yeonUrl}/account/connected-services, choose Demo Shop,`,
      '    press "Delete All Data" and confirm.',
      ` 5. Back at ${shopUrl}: the shop holds nothing about you any more, and yeon`,
      '    lists Demo Shop under "Previously connected" with its deletion receipt.',
      '',
      ` Also: Demo Blog ${blogUrl} (Kakao-style login, no unlink callback);`,
      `       developer console ${yeonUrl}/developers as ${demo.developer.email} / ${demo.developer.password}`,
      // Mail goes to the development mailbox while no YEON_SMTP_URL is set (src/modules/mail/dev-mailbox.ts).
      ...(env.YEON_SMTP_URL ? [] : [`       mail sent to anyone lands in ${yeonUrl}/dev/mailbox`]),
      ' Ctrl-C stops everything · `npm start -- --reset` starts the demo afresh',
      line,
      '',
    ].join('\n'),
  );
}
