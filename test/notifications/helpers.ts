/**
 * Shared set-up for the notification tests: apps with a callback on a loopback receiver, outbox
 * rows written the way the connections service writes them, and a dispatcher with test-sized knobs.
 * Only the clock and the receivers are fakes (the process boundary, never our own modules).
 */
import type { FastifyInstance } from 'fastify';
import type { NotifyConfig } from '../../src/config/load-config.ts';
import type { Db } from '../../src/db/create-db.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { newId } from '../../src/lib/ids.ts';
import type { CreatedApp } from '../../src/modules/apps/apps.types.ts';
import { createDispatcher, type DispatcherDeps } from '../../src/modules/notifications/dispatcher.ts';
import { enqueueNotification, type NewNotification } from '../../src/modules/notifications/outbox.repo.ts';

export const LOOPBACK_POLICY = { allow: ['127.0.0.0/8'] };

let seq = 0;

/** An account row straight in the table: these tests never log in, so no password hashing. */
export async function insertAccount(db: Db, label = 'dev'): Promise<string> {
  const id = newId('acc_');
  const email = `${label}-${process.pid}-${++seq}@example.com`;
  const now = Date.now();
  await db
    .insertInto('accounts')
    .values({
      id,
      email,
      email_normalized: email,
      password_hash: 'x',
      nickname: label,
      profile_image_url: null,
      name: null,
      gender: null,
      birthday: null,
      birthyear: null,
      age_range: null,
      phone_number: null,
      locale: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** An app owned by a fresh account, with its callback at `callbackUrl`. */
export async function createCallbackApp(
  app: FastifyInstance,
  callbackUrl: string,
  options: { method?: 'GET' | 'POST'; format?: 'kakao' | 'json'; ownerId?: string } = {},
): Promise<CreatedApp & { ownerId: string }> {
  const ownerId = options.ownerId ?? (await insertAccount(app.db, 'owner'));
  const created = await app.services.apps.createApp(
    { accountId: ownerId },
    {
      name: `App ${++seq}`,
      unlink: {
        callback_url: callbackUrl,
        method: options.method ?? 'POST',
        state: 'active',
        format: options.format ?? 'kakao',
      },
    },
  );
  return { ...created, ownerId };
}

/** Outbox rows as an unlink writes them (one per call), all due at `now`. */
export async function enqueueUnlinks(
  db: Db,
  appId: number,
  count: number,
  now: number,
  extra: Partial<NewNotification> = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      await enqueueNotification(db, {
        appId,
        eventType: 'user.unlinked',
        referrerType: 'UNLINK_FROM_APPS',
        appUserId: 1_000_000_000 + seq * 1000 + i,
        now,
        ...extra,
      }),
    );
  }
  return ids;
}

export const TEST_NOTIFY: NotifyConfig = {
  inServe: false,
  schedule: [5_000, 300_000, 1_800_000],
  jitter: 0,
  leaseMs: 30_000,
  concurrency: 8,
  appConcurrency: 2,
  pollMs: 20,
  autoPauseMs: 5 * 86_400_000,
};

/** A dispatcher on the test app's database with small knobs (override any of them). */
export function testDispatcher(
  app: FastifyInstance,
  clock: Clock,
  overrides: Partial<NotifyConfig> = {},
  deps: Partial<DispatcherDeps> = {},
) {
  return createDispatcher({
    db: app.db,
    dbKind: app.dbKind,
    clock,
    config: { ...TEST_NOTIFY, ...overrides },
    outbound: { policy: LOOPBACK_POLICY, timeoutMs: 1000 },
    random: () => 0.5,
    ...deps,
  });
}

export async function notificationRow(db: Db, id: string) {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function attemptsOf(db: Db, id: string) {
  return db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('notification_id', '=', id)
    .orderBy('attempt')
    .orderBy('started_at')
    .execute();
}

export async function appRow(db: Db, appId: number) {
  return db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirstOrThrow();
}
