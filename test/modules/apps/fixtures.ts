/** Shared set-up for the apps tests: a real app, four accounts and an app they relate to. */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../../../src/errors/catalogue.ts';
import type { Actor } from '../../../src/modules/apps/apps.types.ts';
import { joinByInvitation } from '../../helpers/team.ts';

export interface Cast {
  owner: Actor;
  admin: Actor;
  member: Actor;
  outsider: Actor;
  emails: Record<'owner' | 'admin' | 'member' | 'outsider', string>;
}

let counter = 0;

/** Four accounts (created once per app, argon2 is not free). */
export async function createCast(app: FastifyInstance): Promise<Cast> {
  const tag = `${process.pid}-${++counter}`;
  const roles = ['owner', 'admin', 'member', 'outsider'] as const;
  const emails = Object.fromEntries(roles.map((r) => [r, `${r}-${tag}@example.com`])) as Cast['emails'];
  const actors: Partial<Record<(typeof roles)[number], Actor>> = {};
  for (const role of roles) {
    const account = await app.services.accounts.signUp({
      email: emails[role],
      password: 'correct horse battery',
      nickname: role,
    });
    actors[role] = { accountId: account.id };
  }
  return { ...(actors as Record<(typeof roles)[number], Actor>), emails };
}

/** A new app owned by `cast.owner`, with `cast.admin` and `cast.member` added. */
export async function createTeamApp(app: FastifyInstance, cast: Cast, name = 'Team app'): Promise<number> {
  const created = await app.services.apps.createApp(cast.owner, {
    name,
    redirect_uris: ['https://team.example.com/callback'],
    // Nothing listens on port 9: a test notification fails fast, which is all the matrix needs.
    unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
  });
  await joinByInvitation(app, cast.owner, created.app_id, { email: cast.emails.admin, role: 'admin' });
  await joinByInvitation(app, cast.owner, created.app_id, {
    email: cast.emails.member,
    role: 'member',
  });
  return created.app_id;
}

export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AppError, `expected AppError(${code}), got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code} ${JSON.stringify(err.issues)}`);
    return err;
  }
  assert.fail(`expected AppError(${code}), but it succeeded`);
}

/** The issue messages of a validation failure, as `field: message-key` strings. */
export async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  const err = await rejectsWith(promise, 'validation_failed');
  return err.issues.map((i) => `${i.field}: ${i.message}`);
}

/** 1×1 PNG */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
