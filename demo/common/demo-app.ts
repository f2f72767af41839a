/**
 * What both demo apps share: reading the credentials `yeon demo setup` wrote, a tiny HTML page
 * shell with escaping, and cookie-backed sessions in the app's own SQLite file. The demo apps are
 * deliberately outside `src/`: they are third-party apps that talk to yeon only over HTTP, as a
 * developer's app would.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { DemoCredentials } from '../../src/modules/demo/demo.setup.ts';

export type { DemoCredentials };

export function readCredentials(): DemoCredentials {
  const file = process.env.YEON_DEMO_CREDENTIALS;
  if (!file) throw new Error('YEON_DEMO_CREDENTIALS is not set (run the demo through `npm start`)');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DemoCredentials;
}

/** `<dir>/<name>.db`, where dir is YEON_DEMO_DIR (npm start: <data dir>/demo). */
export function dbFile(name: string): string {
  const dir = process.env.YEON_DEMO_DIR ?? path.resolve('data/demo');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.db`);
}

export function portOf(url: string): number {
  const u = new URL(url);
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

export function randomId(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML; every value put into a page goes through here. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Tagged template that escapes interpolations unless they are already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const part = Array.isArray(v)
      ? v.map((x) => (x instanceof Html ? x.value : esc(x))).join('')
      : v instanceof Html
        ? v.value
        : esc(v);
    out += part + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export function page(opts: { title: string; brand: string; color: string; body: Html }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<style>
  body{font-family:system-ui,-apple-system,"Noto Sans KR",sans-serif;margin:0;background:#f6f6f4;color:#222}
  header{background:${opts.color};color:#fff;padding:14px 20px;font-weight:700;font-size:18px}
  main{max-width:720px;margin:0 auto;padding:20px}
  section{background:#fff;border-radius:10px;padding:16px 20px;margin:0 0 16px;box-shadow:0 1px 3px #0002}
  h1{font-size:22px;margin:0 0 12px} h2{font-size:17px;margin:0 0 10px}
  table{border-collapse:collapse;width:100%;font-size:14px} td,th{text-align:left;padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
  pre{background:#f0f0ee;padding:10px;border-radius:6px;overflow:auto;font-size:13px}
  .button,button{display:inline-block;background:#fee500;color:#191600;border:0;border-radius:8px;padding:10px 16px;font-size:15px;font-weight:600;text-decoration:none;cursor:pointer}
  .secondary{background:#e4e4e0;color:#222}
  input[type=text]{padding:9px;font-size:15px;border:1px solid #bbb;border-radius:6px;width:60%}
  .muted{color:#666;font-size:14px} .ok{color:#176b2c;font-weight:600}
</style></head>
<body><header>${esc(opts.brand)}</header><main>${opts.body.value}</main></body></html>`;
}

/** Server-side sessions in the app's own database; the cookie holds only a random id. */
export function createSessions(db: Database.Database, cookieName: string) {
  db.exec(`CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  return {
    cookieName,
    create(userId: string): string {
      const id = randomId();
      db.prepare('INSERT INTO sessions (id, user_id, csrf, created_at) VALUES (?, ?, ?, ?)').run(
        id,
        userId,
        randomId(),
        Date.now(),
      );
      return id;
    },
    find(id: string | undefined): { user_id: string; csrf: string } | undefined {
      if (!id) return undefined;
      return db.prepare('SELECT user_id, csrf FROM sessions WHERE id = ?').get(id) as
        | { user_id: string; csrf: string }
        | undefined;
    },
    destroy(id: string | undefined) {
      if (id) db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    },
    destroyForUser(userId: string) {
      db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
    },
  };
}

export const COOKIE_OPTIONS = { path: '/', httpOnly: true, sameSite: 'lax' as const };
