/**
 * Refresh as Kakao clients use it: the same refresh token sent twice at once (two tabs, a retry
 * after a timeout) must not log the person out.
 *
 * Without this, two refreshes racing across the point where Kakao's rule renews the refresh token
 * (less than 30 days left, provider.ts) would see the first consume the token and the second
 * revoke the whole family as a replay (RFC 9700 §4.14.2's rotation rule). Like the "reuse interval"
 * of Auth0's and Okta's refresh token rotation, yeon accepts a repeat within a short window: for
 * GRACE_MS after a refresh succeeds, the same refresh token presented by the same client with the
 * same credentials gets the very same answer (the same new access token, and the same new refresh
 * token when one was issued), on any instance. After the window, a rotated-out token is a replay as before: oidc-provider revokes the
 * family (kysely-adapter.ts `consume`).
 *
 * How (one row per refresh token in `oidc_refresh_replays`, shared by every instance):
 * - the first request inserts the row and runs the grant in one transaction; a 200 answer is
 *   stored in it, encrypted (AES-256-GCM) under a key derived from the refresh token, so a copy of
 *   the database yields no token; any other answer deletes the row, and a failure rolls it back;
 * - a request that finds the row waits (bounded) for the answer and sends it; if the first request
 *   failed or took too long, it runs the grant itself.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../db/create-db.ts';
import { fastifyRequestOf } from './oidc.plugin.ts';
import { storedKey } from './payload-at-rest.ts';
import { OIDC_ROUTES } from './provider.ts';
import { inTokenTransaction } from './token-transaction.ts';

/** How long a repeated refresh gets the first answer. */
export const GRACE_MS = 30_000;
/** How long a repeated refresh waits for the first one to answer before it runs on its own. */
const WAIT_MS = 5_000;
const POLL_MS = 20;

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest();
};

function answerKey(refreshToken: string): Buffer {
  return sha256('yeon refresh replay key', refreshToken);
}

function seal(refreshToken: string, answer: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', answerKey(refreshToken), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(answer), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function open(refreshToken: string, sealed: string): unknown {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', answerKey(refreshToken), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
}

interface RefreshRequest {
  tokenHash: string;
  authHash: string;
  refreshToken: string;
}

/** The refresh grant this request asks for, from the form the Kakao layer read (oidc.plugin.ts). */
function refreshRequestOf(req: IncomingMessage): RefreshRequest | undefined {
  const form = fastifyRequestOf(req)?.body;
  if (!(form instanceof URLSearchParams) || form.get('grant_type') !== 'refresh_token') return undefined;
  const refreshToken = form.get('refresh_token');
  if (!refreshToken || refreshToken.length > 512) return undefined;
  const credentials = [
    form.get('client_id') ?? '',
    form.get('client_secret') ?? '',
    req.headers.authorization ?? '',
  ];
  return {
    refreshToken,
    tokenHash: sha256('refresh token', refreshToken).toString('hex'),
    authHash: sha256('client credentials', ...credentials).toString('hex'),
  };
}

/** Inserts the pending row; true when this request is the first within the window. */
async function claimFirst(db: Db, r: RefreshRequest, now: number): Promise<boolean> {
  // One statement: a new row, or a row whose window has passed taken over (it belongs to no one any
  // more); a live row is left alone and counts 0 on both databases.
  const inserted = await db
    .insertInto('oidc_refresh_replays')
    .values({ token_hash: r.tokenHash, auth_hash: r.authHash, answer: null, expires_at: now + GRACE_MS })
    .onConflict((oc) =>
      oc
        .column('token_hash')
        .doUpdateSet((eb) => ({
          auth_hash: eb.ref('excluded.auth_hash'),
          answer: null,
          expires_at: eb.ref('excluded.expires_at'),
        }))
        .where('oidc_refresh_replays.expires_at', '<=', now),
    )
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** The first request's answer for a repeat, once it is there; undefined = run the grant here. */
async function awaitFirstAnswer(db: Db, r: RefreshRequest): Promise<unknown | undefined> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = await db
      .selectFrom('oidc_refresh_replays')
      .select(['auth_hash', 'answer', 'expires_at'])
      .where('token_hash', '=', r.tokenHash)
      .executeTakeFirst();
    if (!row || row.expires_at <= Date.now()) return undefined;
    const sameCaller = timingSafeEqual(Buffer.from(row.auth_hash, 'hex'), Buffer.from(r.authHash, 'hex'));
    if (!sameCaller) return undefined;
    if (row.answer !== null) {
      // A logout, an unlink or a withdrawal since then deleted the token and what it gave: no replay.
      return (await refreshTokenExists(db, r.refreshToken)) ? open(r.refreshToken, row.answer) : undefined;
    }
    if (Date.now() >= deadline) return undefined;
    await sleep(POLL_MS);
  }
}

/** Whether the refresh token is still stored (consumed by a rotation or not): not revoked. */
async function refreshTokenExists(db: Db, refreshToken: string): Promise<boolean> {
  const row = await db
    .selectFrom('oidc_payloads')
    .select('id')
    .where('model', '=', 'RefreshToken')
    .where('id', '=', storedKey(refreshToken))
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes rows whose window has passed (the server's periodic purge). */
export async function purgeRefreshReplays(db: Db, now: number): Promise<number> {
  const result = await db
    .deleteFrom('oidc_refresh_replays')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Keeps a 200 answer for a repeat, or gives the window up: in the request's transaction. */
async function keepAnswer(db: Db, r: RefreshRequest, ctx: KoaContextWithOIDC): Promise<void> {
  if (ctx.status === 200 && typeof ctx.body === 'object' && ctx.body !== null) {
    await db
      .updateTable('oidc_refresh_replays')
      .set({ answer: seal(r.refreshToken, ctx.body) })
      .where('token_hash', '=', r.tokenHash)
      .execute();
  } else {
    await db.deleteFrom('oidc_refresh_replays').where('token_hash', '=', r.tokenHash).execute();
  }
}

/** The grant type of a token request, from the form the Kakao layer read (oidc.plugin.ts). */
function grantTypeOf(req: IncomingMessage): string | null {
  const form = fastifyRequestOf(req)?.body;
  return form instanceof URLSearchParams ? form.get('grant_type') : null;
}

/**
 * Installs the grace window and the token request's transaction (token-transaction.ts) as one
 * oidc-provider middleware. Install it before the Kakao layer's response shaping (kakao-layer.ts),
 * so that the answer stored is the one the client saw, and after any middleware that queries the
 * bare handle once oidc-provider has answered (cors.ts): on SQLite such a query would wait for
 * this transaction.
 *
 * The claim, the grant's writes and the answer commit together. A repeat that arrives meanwhile
 * waits for that commit, not for a pending row: on PostgreSQL its claim waits on the first one's
 * uncommitted key, on SQLite its BEGIN IMMEDIATE waits on the write lock; it then finds the
 * answer. A 5xx or an exception rolls the claim back with the rest, so nothing is left pending.
 */
export function installRefreshGrace(provider: Provider, db: Db): void {
  provider.use(async (koaCtx, next) => {
    const ctx = koaCtx as KoaContextWithOIDC;
    if (ctx.method !== 'POST' || ctx.path !== OIDC_ROUTES.token) return next();
    const grantType = grantTypeOf(ctx.req);
    if (grantType !== 'refresh_token' && grantType !== 'authorization_code') return next();
    const status = () => ctx.status;
    const r = refreshRequestOf(ctx.req);
    if (!r) return inTokenTransaction(db, status, () => next());
    let ran: boolean;
    try {
      ran = await inTokenTransaction(db, status, async (trx) => {
        if (!(await claimFirst(trx, r, Date.now()))) return false;
        await next();
        await keepAnswer(trx, r, ctx);
        return true;
      });
    } catch (err) {
      // Rolled back after oidc-provider had answered (keeping the answer failed): the tokens in
      // that answer were never stored, so it must not leave. oidc-provider's own 500, in Kakao's
      // shape (kakao-layer-errors.ts); `server_error` logs it and lets the outage answer
      // (oauth-outage.ts) make it a 503 when the database is away.
      ctx.status = 500;
      ctx.set('cache-control', 'no-store');
      ctx.body = { error: 'server_error', error_description: 'temporary error', error_code: 'KOE003' };
      provider.emit('server_error', ctx, err);
      return;
    }
    if (ran) return;
    // A repeat: wait outside any transaction (on SQLite it would hold the write lock meanwhile).
    const answer = await awaitFirstAnswer(db, r);
    if (answer !== undefined) {
      ctx.status = 200;
      ctx.set('cache-control', 'no-store');
      ctx.body = answer;
      return;
    }
    return inTokenTransaction(db, status, () => next());
  });
}
