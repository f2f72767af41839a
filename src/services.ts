/**
 * The composition root for domain services: built once per app from config, database and clock.
 * Routes, the CLI and tests reach domain code only through this object.
 */
import type { Config } from './config/load-config.ts';
import type { Secrets } from './config/secrets.ts';
import type { Db, DbKind } from './db/create-db.ts';
import type { Clock } from './lib/clock.ts';
import { createAccountsService } from './modules/accounts/accounts.service.ts';
import { createLoginThrottle } from './modules/accounts/login-throttle.ts';
import { createPasswordHasher } from './modules/accounts/password.ts';
import { createSessionService } from './modules/sessions/sessions.service.ts';

export interface ServiceDeps {
  config: Config;
  secrets: Secrets;
  db: Db;
  dbKind: DbKind;
  clock: Clock;
}

export function createServices(deps: ServiceDeps) {
  const { config, db, clock } = deps;
  const hasher = createPasswordHasher(config.passwordHashConcurrency);
  const throttle = createLoginThrottle(db, clock, config.login);
  const sessions = createSessionService(db, clock, {
    ttlMs: config.sessionTtlMs,
    rememberMs: config.sessionRememberMs,
  });
  const accounts = createAccountsService({ db, clock, hasher, throttle });
  return { ...deps, hasher, throttle, sessions, accounts };
}

export type Services = ReturnType<typeof createServices>;
