/**
 * Server-side sessions: stored in the database so that any instance can serve any
 * request. The cookie holds a random token; the table holds only its SHA-256. A new token is
 * minted at every login (session fixation, ASVS V3.2.1) and logout deletes the row.
 * A sign-in also makes the browser a trusted device (its own random token, security/
 * trusted-devices.repo.ts) and records `new_device_signed_in` when the browser was not yet one
 * of the account's; the person can end sessions and forget devices one by one or all at once
 * (OWASP ASVS 4.0.3 V3.3.4).
 */
import type { Kysely } from 'kysely';
import type { Account, Database, Session } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { hasControlChars } from '../../lib/text.ts';
import { normalizeEmail } from '../accounts/profile.ts';
import { deviceLabelOf } from '../security/device-label.ts';
import { recordSecurityEvent } from '../security/security-events.ts';
import * as devices from '../security/trusted-devices.repo.ts';
import { type EndedElsewhere, endOtherSessionsWithin } from './sessions.repo.ts';

export interface SessionSettings {
  ttlMs: number;
  rememberMs: number;
}

/** How often last_seen_at is written: at most once a minute per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function createSessionService(db: Kysely<Database>, clock: Clock, settings: SessionSettings) {
  async function start(
    input: { accountId: string; remember: boolean; userAgent?: string; ip?: string; deviceId?: string },
    executor: Kysely<Database> = db,
  ) {
    const token = randomToken(32);
    const now = clock.now();
    const lifetime = input.remember ? settings.rememberMs : settings.ttlMs;
    await executor
      .insertInto('sessions')
      .values({
        id_hash: sha256(token),
        account_id: input.accountId,
        created_at: now,
        last_seen_at: now,
        expires_at: now + lifetime,
        remember: input.remember ? 1 : 0,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
        ip: input.ip ?? null,
        device_id: input.deviceId ?? null,
      })
      .execute();
    return { token, expiresAt: now + lifetime };
  }

  /**
   * A successful sign-in, in one transaction: the session the browser held before is ended, the
   * browser's trusted-device token is kept if it is one of this account's (else a new one is
   * minted and `new_device_signed_in` recorded), and a new session is started from that device.
   * Returns the cookie values; the device token is only ever stored as its SHA-256.
   */
  async function signIn(input: {
    accountId: string;
    remember: boolean;
    userAgent?: string;
    ip?: string;
    /** the browser's trusted-device cookie, if any */
    deviceToken?: string;
    /** the session cookie the browser held before, ended here (session fixation, ASVS V3.2.1) */
    replacingToken?: string;
  }) {
    const now = clock.now();
    const label = deviceLabelOf(input.userAgent);
    return db.transaction().execute(async (trx) => {
      if (input.replacingToken)
        await trx.deleteFrom('sessions').where('id_hash', '=', sha256(input.replacingToken)).execute();
      const known = input.deviceToken
        ? await devices.findDevice(trx, sha256(input.deviceToken), input.accountId, now)
        : undefined;
      let deviceToken = input.deviceToken;
      let deviceId = known?.id;
      if (known) {
        await devices.touchDevice(trx, known.id, label, now);
      } else {
        deviceToken = randomToken(32);
        deviceId = await devices.insertDevice(trx, {
          tokenHash: sha256(deviceToken),
          accountId: input.accountId,
          label,
          now,
        });
        await recordSecurityEvent(trx, {
          accountId: input.accountId,
          kind: 'new_device_signed_in',
          at: now,
          ip: input.ip,
          device: label,
        });
      }
      const session = await start({ ...input, deviceId }, trx);
      return { ...session, deviceToken: deviceToken!, newDevice: !known };
    });
  }

  /**
   * Whether the browser's device token is a live trusted device of the account with this email.
   * Read from the database at each login attempt, so a forgotten device loses its exemption
   * from the account-wide login block at once, and a device counts for its own account only.
   */
  async function isTrustedDevice(deviceToken: string | undefined, email: string): Promise<boolean> {
    if (!deviceToken) return false;
    const normalized = normalizeEmail(email);
    // No account's email holds a control character, and PostgreSQL's text cannot hold NUL.
    if (!normalized || hasControlChars(normalized)) return false;
    return devices.isTrustedFor(db, sha256(deviceToken), normalized, clock.now());
  }

  /** See `endOtherSessionsWithin` (sessions.repo.ts): the same, in a transaction of its own. */
  async function endAllOtherSessions(
    accountId: string,
    keep: { keepSessionIdHash?: string } = {},
  ): Promise<EndedElsewhere> {
    return db.transaction().execute((trx) => endOtherSessionsWithin(trx, accountId, keep));
  }

  /** Ends one of the account's sessions (a session of someone else's matches nothing). */
  async function endSessionOf(accountId: string, sessionIdHash: string): Promise<void> {
    // A form value is the client's: ids never hold control characters, and PostgreSQL's text
    // cannot hold NUL, so such a value matches nothing instead of failing the query.
    if (!sessionIdHash || hasControlChars(sessionIdHash)) return;
    await db
      .deleteFrom('sessions')
      .where('account_id', '=', accountId)
      .where('id_hash', '=', sessionIdHash)
      .execute();
  }

  /** Forgets one of the account's trusted devices and ends the sessions signed in from it. */
  async function forgetDevice(accountId: string, deviceId: string): Promise<void> {
    if (!deviceId || hasControlChars(deviceId)) return;
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('sessions')
        .where('account_id', '=', accountId)
        .where('device_id', '=', deviceId)
        .execute();
      await devices.deleteDevices(trx, accountId, { only: deviceId });
    });
  }

  /** The live session and its account for a cookie token, or undefined. */
  async function resolve(token: string): Promise<{ session: Session; account: Account } | undefined> {
    const idHash = sha256(token);
    const row = await db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .selectAll('accounts')
      .select([
        'sessions.id_hash as s_id_hash',
        'sessions.created_at as s_created_at',
        'sessions.last_seen_at as s_last_seen_at',
        'sessions.expires_at as s_expires_at',
        'sessions.remember as s_remember',
        'sessions.user_agent as s_user_agent',
        'sessions.ip as s_ip',
        'sessions.device_id as s_device_id',
      ])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    const now = clock.now();
    if (!row || row.s_expires_at <= now) return undefined;
    const {
      s_id_hash,
      s_created_at,
      s_last_seen_at,
      s_expires_at,
      s_remember,
      s_user_agent,
      s_ip,
      s_device_id,
      ...account
    } = row;
    const session: Session = {
      id_hash: s_id_hash,
      account_id: account.id,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
      expires_at: s_expires_at,
      remember: s_remember,
      user_agent: s_user_agent,
      ip: s_ip,
      device_id: s_device_id,
    };
    if (now - session.last_seen_at > TOUCH_INTERVAL_MS) {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    }
    return { session, account };
  }

  async function end(token: string): Promise<void> {
    await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute();
  }

  async function endAllForAccount(accountId: string): Promise<void> {
    await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
  }

  async function purgeExpired(): Promise<number> {
    const result = await db.deleteFrom('sessions').where('expires_at', '<=', clock.now()).executeTakeFirst();
    await devices.purgeIdleDevices(db, clock.now());
    return Number(result.numDeletedRows);
  }

  return {
    start,
    signIn,
    resolve,
    end,
    endAllForAccount,
    endAllOtherSessions,
    endSessionOf,
    forgetDevice,
    isTrustedDevice,
    purgeExpired,
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
