/**
 * `yeon --help` on every command, and configuration errors that stop the process with a message
 * naming the variable.
 *
 * The commands are read from the program `buildCli` builds, not listed here, so a command added to
 * main.ts is checked without anyone remembering to: each one's `--help` goes through commander's own
 * parsing in this process (one process for all of them; a child per command would take seconds
 * each), and a few go through the real `bin/yeon` as well.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type Command, CommanderError } from 'commander';
import { buildCli } from '../../src/cli/main.ts';
import { laneEnv, run } from './cli-process.ts';

/** Every command below `root`, groups and their subcommands alike, with the words that reach it. */
function everyCommand(root: Command, words: string[] = []): Array<{ words: string[]; command: Command }> {
  return root.commands.flatMap((command) => {
    const path = [...words, command.name()];
    return [{ words: path, command }, ...everyCommand(command, path)];
  });
}

/** Runs `yeon <words> --help` in process and returns what it printed; help must exit 0. */
async function helpOf(words: string[]): Promise<string> {
  const program = buildCli();
  let out = '';
  for (const c of [program, ...everyCommand(program).map((e) => e.command)]) {
    c.exitOverride().configureOutput({
      writeOut: (s) => {
        out += s;
      },
      writeErr: (s) => {
        out += s;
      },
    });
  }
  await assert.rejects(
    program.parseAsync([...words, '--help'], { from: 'user' }),
    (err) => err instanceof CommanderError && err.code === 'commander.helpDisplayed' && err.exitCode === 0,
  );
  return out;
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('yeon <command> --help, for every command the program registers', { concurrency: true }, () => {
  const program = buildCli();
  const commands = everyCommand(program);

  it('finds the commands (groups and their subcommands)', () => {
    const names = commands.map((c) => c.words.join(' '));
    for (const expected of ['serve', 'migrate', 'user create', 'app update', 'keys rotate', 'demo setup'])
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
  });

  for (const { words, command } of [{ words: [], command: program }, ...commands]) {
    const name = ['yeon', ...words].join(' ');
    it(`${name} --help names the command and every option`, async () => {
      const out = await helpOf(words);
      assert.match(out, new RegExp(`^Usage: ${literal(name)}( |$)`, 'm'));
      assert.ok(command.description(), 'a description');
      for (const option of command.options) {
        if (!option.hidden) assert.ok(out.includes(option.flags), `${option.flags} in\n${out}`);
      }
      for (const argument of command.registeredArguments)
        assert.ok(out.includes(argument.name()), `<${argument.name()}> in\n${out}`);
      for (const sub of command.commands)
        assert.match(out, new RegExp(`^\\s+${literal(sub.name())}\\b`, 'm'), `${sub.name()} listed`);
    });
  }
});

describe('yeon --help', { concurrency: true }, () => {
  const cases: Array<[string[], RegExp[]]> = [
    [['--help'], [/Usage: yeon/, /\bserve\b/, /\bmigrate\b/, /\buser\b/]],
    [
      ['serve', '--help'],
      [/Usage: yeon serve/, /--port/],
    ],
    [['migrate', '--help'], [/Usage: yeon migrate/]],
    [
      ['user', '--help'],
      [/Usage: yeon user/, /\bcreate\b/],
    ],
    [
      ['user', 'create', '--help'],
      [/Usage: yeon user create/, /--email/, /--password/, /--nickname/, /--json/],
    ],
  ];
  for (const [args, patterns] of cases) {
    it(`yeon ${args.join(' ')} prints usage and exits 0`, async () => {
      const res = await run(args, {});
      assert.equal(res.code, 0, res.stderr);
      for (const p of patterns) assert.match(res.stdout, p);
    });
  }

  it('refuses an unknown command with a non-zero exit', async () => {
    const res = await run(['frobnicate'], {});
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /unknown command/i);
  });
});

describe('configuration errors', { concurrency: true }, () => {
  it('yeon serve with YEON_PORT=abc exits non-zero and names YEON_PORT', async () => {
    const res = await run(['serve'], { YEON_PORT: 'abc' });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_PORT/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, 'one clear line, not a stack trace');
  });

  it('yeon serve --port abc is refused the same way', async () => {
    const res = await run(['serve', '--port', 'abc'], {});
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_PORT/);
  });

  it('yeon migrate with a bad DATABASE_URL names DATABASE_URL', async () => {
    const res = await run(['migrate'], { DATABASE_URL: 'mysql://root:pw@localhost/x' });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /DATABASE_URL/);
  });

  it('yeon serve in production refuses generated secrets and names YEON_COOKIE_SECRET', async (t) => {
    const { env, dataDir } = await laneEnv(t);
    const res = await run(['serve'], {
      ...env,
      YEON_ENV: 'production',
      YEON_ISSUER: 'https://id.example.com',
    });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_COOKIE_SECRET/);
    assert.equal(fs.existsSync(path.join(dataDir, 'secrets.json')), false);
  });

  it('yeon serve in production refuses a plain-http public issuer and names YEON_ISSUER', async () => {
    const res = await run(['serve'], {
      YEON_ENV: 'production',
      YEON_ISSUER: 'http://id.example.com',
      YEON_COOKIE_SECRET: 'an-operator-chosen-secret-of-40-characters',
    });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /YEON_ISSUER/);
  });
});
