#!/usr/bin/env node
/**
 * `npm start`: run yeon on SQLite in ./data (the README's first command). Extra args go to `yeon serve`.
 * package.json runs this with `exec`, so npm's SIGTERM reaches this process instead of stopping
 * at the intermediate shell (which would leave the server running, orphaned); we pass it on.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const child = spawn(process.execPath, [path.join(root, 'bin/yeon'), 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
