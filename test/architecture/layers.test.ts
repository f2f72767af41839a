/**
 * The layers, checked from the files' own text: routes parse, call a service and reply; rules,
 * transactions and repository calls live in domain services, which know nothing of Fastify.
 * - a route file (any `*.routes.ts`, plus the route helpers listed below) imports no repository
 *   module and never calls `db.` itself;
 * - no file under src/modules/, and no `*.service.ts` anywhere, imports 'fastify'.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const src = path.join(root, 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(p);
    return /\.tsx?$/.test(entry.name) ? [p] : [];
  });
}

/** Route helpers that are not named `*.routes.ts` but run in the request the same way. */
const ROUTE_HELPERS = ['src/kakao/kakao-auth.ts', 'src/http/interaction/interaction-flow.ts'];

/** Modules that read or write tables: only services may import them. */
const REPOSITORIES = [
  /\.repo\.tsx?$/,
  /(^|\/)src\/oidc\/kysely-adapter\.ts$/,
  // the Kakao user APIs' read repositories
  /(^|\/)src\/kakao\/user-me-reads\.ts$/,
  /(^|\/)src\/kakao\/kakao-users\.ts$/,
];

/** Every module specifier a file imports or re-exports (static or dynamic), `import type` too. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** `db.x`, `app.db.x`, `request.server.db.x`: a query built in the file itself. */
const DIRECT_DB = /\bdb\s*\.\s*[A-Za-z_]/;

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

/** A source file by its path from the repository root (`src/...`) and its text. */
interface Source {
  name: string;
  text: string;
}

export function layerViolations(sources: Source[]): string[] {
  const problems: string[] = [];
  for (const { name, text } of sources) {
    const isRoute = /\.routes\.tsx?$/.test(name) || ROUTE_HELPERS.includes(name);
    if (isRoute) {
      for (const spec of importsOf(text)) {
        if (!spec.startsWith('.')) continue;
        const target = path.posix.join(path.posix.dirname(name), spec);
        if (REPOSITORIES.some((re) => re.test(target)))
          problems.push(`${name} imports the repository ${target}`);
      }
      if (DIRECT_DB.test(withoutComments(text))) problems.push(`${name} calls db directly`);
    }
    const isDomain = name.startsWith('src/modules/') || /\.service\.tsx?$/.test(name);
    if (isDomain && importsOf(text).some((spec) => spec === 'fastify' || spec.startsWith('fastify/')))
      problems.push(`${name} imports fastify`);
  }
  return problems;
}

describe('layers', () => {
  test('route files import no repository and call no db; domain services import no fastify', () => {
    const sources = filesUnder(src).map((file) => ({ name: rel(file), text: fs.readFileSync(file, 'utf8') }));
    assert.ok(
      sources.some((f) => f.name.endsWith('.routes.ts')),
      'no route files found',
    );
    for (const helper of ROUTE_HELPERS)
      assert.ok(fs.existsSync(path.join(root, helper)), `${helper} is gone: update ROUTE_HELPERS`);
    assert.deepEqual(layerViolations(sources), []);
  });

  test('the check itself sees a repository import, a db call and a fastify import', () => {
    const route = {
      name: 'src/http/probe/probe.routes.ts',
      text:
        "import type { Connection } from '../../modules/connections/connections.repo.ts';\n" +
        "export const f = (app: App) => app.db.selectFrom('connections');\n",
    };
    const helper = { name: 'src/kakao/kakao-auth.ts', text: "import { x } from './user-me-reads.ts';\n" };
    const service = {
      name: 'src/modules/probe/probe.ts',
      text: "import type { FastifyInstance } from 'fastify';\n",
    };
    const comment = { name: 'src/http/probe/ok.routes.ts', text: '/** never `db.selectFrom` here */\n' };
    assert.deepEqual(layerViolations([route, helper, service, comment]), [
      'src/http/probe/probe.routes.ts imports the repository src/modules/connections/connections.repo.ts',
      'src/http/probe/probe.routes.ts calls db directly',
      'src/kakao/kakao-auth.ts imports the repository src/kakao/user-me-reads.ts',
      'src/modules/probe/probe.ts imports fastify',
    ]);
  });
});
