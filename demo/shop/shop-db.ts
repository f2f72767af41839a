/**
 * Demo Shop's own data (data/demo/shop.db): the people who logged in with yeon, their wish lists,
 * and what the unlink callback needs — processed webhook ids (idempotency across restarts) and
 * deletion records without personal data, which the receipt's status page reads.
 */
import Database from 'better-sqlite3';
import type { IdempotencyStore } from '../../packages/unlink-receiver/src/index.ts';

export interface ShopUser {
  id: string;
  nickname: string | null;
  email: string | null;
  id_token_claims: string;
  user_me: string;
  created_at: number;
  last_login_at: number;
}

export function openShopDb(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY, nickname TEXT, email TEXT, id_token_claims TEXT NOT NULL,
      user_me TEXT NOT NULL, created_at INTEGER NOT NULL, last_login_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS wishes (
      id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, item TEXT NOT NULL,
      created_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS pending_logins (
      state TEXT PRIMARY KEY, nonce TEXT NOT NULL, verifier TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS processed_webhooks (id TEXT PRIMARY KEY, processed_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS deletions (
      code TEXT PRIMARY KEY, referrer_type TEXT NOT NULL, wishes_deleted INTEGER NOT NULL,
      profile_deleted INTEGER NOT NULL, deleted_at INTEGER NOT NULL);
  `);
  return db;
}

export type ShopDb = ReturnType<typeof openShopDb>;

export function upsertUser(db: ShopDb, u: Omit<ShopUser, 'created_at' | 'last_login_at'>, now: number) {
  db.prepare(
    `INSERT INTO users (id, nickname, email, id_token_claims, user_me, created_at, last_login_at)
     VALUES (@id, @nickname, @email, @id_token_claims, @user_me, @now, @now)
     ON CONFLICT (id) DO UPDATE SET nickname = @nickname, email = @email,
       id_token_claims = @id_token_claims, user_me = @user_me, last_login_at = @now`,
  ).run({ ...u, now });
}

export function findUser(db: ShopDb, id: string): ShopUser | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as ShopUser | undefined;
}

export function listWishes(db: ShopDb, userId: string) {
  return db
    .prepare('SELECT id, item, created_at FROM wishes WHERE user_id = ? ORDER BY id')
    .all(userId) as Array<{ id: number; item: string; created_at: number }>;
}

export function addWish(db: ShopDb, userId: string, item: string, now: number) {
  db.prepare('INSERT INTO wishes (user_id, item, created_at) VALUES (?, ?, ?)').run(userId, item, now);
}

/** Everything the shop holds about one person, in one transaction; returns what was removed. */
export function deleteUserData(db: ShopDb, userId: string) {
  return db.transaction(() => {
    const wishes = db.prepare('DELETE FROM wishes WHERE user_id = ?').run(userId).changes;
    const profile = db.prepare('DELETE FROM users WHERE id = ?').run(userId).changes;
    db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    return { wishes, profile };
  })();
}

export function recordDeletion(
  db: ShopDb,
  d: { code: string; referrerType: string; wishes: number; profile: number },
  now: number,
) {
  db.prepare(
    'INSERT INTO deletions (code, referrer_type, wishes_deleted, profile_deleted, deleted_at) VALUES (?, ?, ?, ?, ?)',
  ).run(d.code, d.referrerType, d.wishes, d.profile ? 1 : 0, now);
}

export function findDeletion(db: ShopDb, code: string) {
  return db.prepare('SELECT * FROM deletions WHERE code = ?').get(code) as
    | {
        code: string;
        referrer_type: string;
        wishes_deleted: number;
        profile_deleted: number;
        deleted_at: number;
      }
    | undefined;
}

/** Idempotency on `webhook-id` that survives restarts (the SDK's in-memory store would not). */
export function sqliteIdempotencyStore(db: ShopDb): IdempotencyStore {
  return {
    seen: (id) => Boolean(db.prepare('SELECT 1 FROM processed_webhooks WHERE id = ?').get(id)),
    remember: (id) => {
      db.prepare('INSERT OR IGNORE INTO processed_webhooks (id, processed_at) VALUES (?, ?)').run(
        id,
        Date.now(),
      );
    },
  };
}
