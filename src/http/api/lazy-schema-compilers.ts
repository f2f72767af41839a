/**
 * Fastify's own schema compilers (@fastify/ajv-compiler for request validation,
 * @fastify/fast-json-stringify-compiler for responses), run when a route first needs one instead
 * of for every route while the server boots (docs/decisions/0003: compiling every route's schemas
 * was a sixth of a cold start, and most routes of an instance are never called soon after it).
 *
 * The compilers and their options are exactly Fastify's defaults — the same copies Fastify itself
 * would load, resolved from Fastify's own location — so a request is accepted, coerced or rejected
 * exactly as before; only the moment of compiling moves. A schema that cannot compile now fails
 * its route's first request (500) instead of the boot: `compileAll` compiles every route's
 * schemas, and test/ops/lazy-modules.test.ts runs it over the whole application.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Compile = (route: Record<string, unknown>) => Compiled;
type Build = (externalSchemas: unknown, options: unknown) => Compile;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/**
 * A function standing for `compile()`'s result: it compiles on its first call and then calls
 * through. Fastify reads `schemaEnv` (an Ajv validator: pass the parent so a coerced root value can
 * be replaced) and `errors` (after a failed validation) from the function it was given; both are
 * read from the compiled one.
 */
function deferred(pending: Set<() => unknown>, compile: () => Compiled): Compiled {
  let compiled: Compiled | undefined;
  const get = (): Compiled => {
    if (!compiled) {
      compiled = compile();
      pending.delete(get);
    }
    return compiled;
  };
  pending.add(get);
  const fn = ((...args: unknown[]) => get()(...args)) as Compiled;
  Object.defineProperty(fn, 'errors', { get: () => get().errors, configurable: true });
  Object.defineProperty(fn, 'schemaEnv', { get: () => get().schemaEnv, configurable: true });
  return fn;
}

function lazyBuilder(
  pending: Set<() => unknown>,
  load: () => Build,
  what: 'validator' | 'serializer',
): Build {
  let build: Build | undefined;
  return (externalSchemas, options) => {
    let compile: Compile | undefined;
    return (route) => {
      // With a compiler of its own, Fastify passes a headers schema as written instead of with its
      // names lower-cased (HTTP field names are case-insensitive): refuse rather than differ.
      if (what === 'validator' && route.httpPart === 'headers') {
        throw new Error('a headers schema would not be lower-cased: validate headers in a hook');
      }
      return deferred(pending, () => {
        build ??= load();
        compile ??= build(externalSchemas, options);
        return compile(route);
      });
    };
  };
}

export interface LazySchemaCompilers {
  /** For `Fastify({ schemaController })`: Fastify's default compilers, compiling on first use. */
  schemaController: NonNullable<FastifyServerOptions['schemaController']>;
  /** Compiles every schema still waiting (a check that all compile); returns how many there were. */
  compileAll(): number;
}

/** One per application: its deferred compilations are its own. */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const pending = new Set<() => unknown>();
  const schemaController = {
    compilersFactory: {
      buildValidator: lazyBuilder(pending, () => fromFastify('@fastify/ajv-compiler')(), 'validator'),
      buildSerializer: lazyBuilder(
        pending,
        () => fromFastify('@fastify/fast-json-stringify-compiler')(),
        'serializer',
      ),
    },
  } as NonNullable<FastifyServerOptions['schemaController']>;
  return {
    schemaController,
    compileAll() {
      const waiting = [...pending];
      for (const get of waiting) get();
      return waiting.length;
    },
  };
}
