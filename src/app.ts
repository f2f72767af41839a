/**
 * buildApp(deps) → FastifyInstance. The whole HTTP application as one plugin tree; the process
 * (listen, signals, background work) lives in server.ts. Plugins are registered explicitly here,
 * in the order that matters for security: config → db → cookies/session/csrf → views → routes.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type onRouteHookHandler } from 'fastify';
import type { Config } from './config/load-config.ts';
import type { Secrets } from './config/secrets.ts';
import type { Db, DbKind } from './db/create-db.ts';
import { accountUseRoutes } from './http/account/account-use.routes.ts';
import { recoveryAccountRoutes } from './http/account/recovery-account.routes.ts';
import { managementApi } from './http/api/api.plugin.ts';
import { lazySchemaCompilers } from './http/api/lazy-schema-compilers.ts';
import { appApi } from './http/app-api/app-api.plugin.ts';
import { consoleRoutes } from './http/console/console.routes.ts';
import { devMailboxRoutes } from './http/dev/dev-mailbox.routes.ts';
import { interactionRoutes } from './http/interaction/interaction.routes.ts';
import { loggerOptions } from './http/log-redaction.ts';
import { opsRoutes } from './http/ops/ops.routes.ts';
import { accountRoutes } from './http/pages/account.routes.ts';
import { authRoutes } from './http/pages/auth.routes.ts';
import { homeRoutes } from './http/pages/home.routes.ts';
import { invitationRoutes } from './http/pages/invitation.routes.ts';
import { recoveryRoutes } from './http/pages/recovery.routes.ts';
import csrf, { protectForms } from './http/plugins/csrf.plugin.ts';
import errorHandler from './http/plugins/error-handler.plugin.ts';
import requestContext from './http/plugins/request-context.plugin.ts';
import securityHeaders from './http/plugins/security-headers.plugin.ts';
import session from './http/plugins/session.plugin.ts';
import { kakaoApi } from './kakao/kakao.plugin.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import type { DevMailbox } from './modules/mail/dev-mailbox.ts';
import { buildOidcProvider, oidcEngine } from './oidc/engine.ts';
import { createServices, type Services } from './services.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    secrets: Secrets;
    db: Db;
    dbKind: DbKind;
    services: Services;
    /** Entries of the "Account use" menu on /account; features add theirs at registration. */
    accountMenu: Array<{ href: string; labelKey: string }>;
    /** Compiles every route schema not yet compiled (they compile on first use); returns how many. */
    compileAllSchemas(): number;
  }
}

export interface AppDeps {
  config: Config;
  secrets: Secrets;
  db: Db;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
  /** false: leave the OAuth engine out (engine tests mount their own provider); default true */
  oauthEngine?: boolean;
  /** sees every route as it is registered, before any scope's own onRoute hooks (route-table checks) */
  onRoute?: onRouteHookHandler;
  /** the development mailbox `yeon serve` started (never in production): served at /dev/mailbox */
  devMailbox?: DevMailbox;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, secrets, db } = deps;
  // Route schemas compile when their route is first called, not all at boot (cold start).
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    schemaController: schemas.schemaController,
    // Redacted request URLs, no headers, censored secrets (OWASP Logging Cheat Sheet): log-redaction.ts.
    logger: loggerOptions(deps.logger, config.logLevel),
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1_048_576,
  });

  app.decorate('config', config);
  app.decorate('secrets', secrets);
  app.decorate('db', db);
  app.decorate('dbKind', config.database.kind);
  app.decorate(
    'services',
    createServices({ config, secrets, db, dbKind: config.database.kind, clock: deps.clock ?? systemClock }),
  );
  app.decorate('accountMenu', []);
  app.decorate('compileAllSchemas', schemas.compileAll);
  // The password hasher's worker threads end with the app (after in-flight requests, onClose).
  app.addHook('onClose', () => app.services.hasher.close());
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  // Callback-style hooks on every request: no promise per hook.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  await app.register(cookie, { secret: secrets.cookieSecret });
  await app.register(securityHeaders);
  await app.register(requestContext);
  await app.register(session);
  await app.register(csrf);
  await app.register(errorHandler);

  await app.register(opsRoutes);
  // JSON management API + OpenAPI at /docs, in its own scope with its own JSON parser.
  await app.register(managementApi);
  // Kakao-style APIs an app calls with its admin key (its notifications' deletion receipts and
  // catch-up list), Kakao envelopes.
  await app.register(appApi);
  // Pages parse HTML form bodies; the OAuth engine (mounted later) must see raw bodies, so the
  // form parser lives only in this scope.
  await app.register(async (pages) => {
    // Every unsafe-method route in here, and in the scopes below, is CSRF-checked by the router.
    protectForms(pages);
    await pages.register(formbody);
    await pages.register(homeRoutes);
    await pages.register(authRoutes);
    await pages.register(recoveryRoutes);
    await pages.register(accountRoutes);
    await pages.register(recoveryAccountRoutes);
    await pages.register(accountUseRoutes);
    await pages.register(consoleRoutes);
    // Team invitation links, answered by the invited person (signed in, CSRF-checked).
    await pages.register(invitationRoutes);
    if (deps.devMailbox && config.env !== 'production')
      await pages.register(devMailboxRoutes, { mailbox: deps.devMailbox });
    // Login and consent for the OAuth engine; engine tests that leave it out mount a stub here.
    if (deps.oauthEngine !== false) await pages.register(interactionRoutes);
  });
  // OAuth 2.0 / OIDC on Kakao's paths, with raw bodies in its own scope; decorates app.oidc.
  if (deps.oauthEngine !== false) {
    const provider = await buildOidcProvider({ config, secrets, db, clock: deps.clock });
    await app.register(oidcEngine, { provider });
  }
  // Kakao's user APIs (/v2/user/me, /v1/user/*, /v2/user/scopes…): form bodies and Kakao's {msg, code}
  // envelope in their own scope.
  await app.register(kakaoApi);

  return app;
}
