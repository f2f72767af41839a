/**
 * Demo Blog (case 2: an app without an unlink callback): logs in exactly as a Kakao Login app does,
 * with plain fetch against the Kakao endpoints (/oauth/authorize → /oauth/token → /v2/user/me; see
 * Kakao REST API "Kakao Login"), to show that such code only needs yeon's host instead of Kakao's.
 * It has no unlink callback, and Android/iOS platforms are set in yeon: when the person disconnects
 * it, yeon can only show them where to ask the blog to delete their data.
 */
import cookie from '@fastify/cookie';
import Database from 'better-sqlite3';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import {
  COOKIE_OPTIONS,
  createSessions,
  dbFile,
  html,
  page,
  portOf,
  randomId,
  readCredentials,
} from '../common/demo-app.ts';

const creds = readCredentials();
const YEON = creds.urls.yeon;
const db = new Database(dbFile('blog'));
db.pragma('journal_mode = WAL');
db.exec(`CREATE TABLE IF NOT EXISTS readers (
  kakao_id TEXT PRIMARY KEY, nickname TEXT, user_me TEXT NOT NULL, last_login_at INTEGER NOT NULL)`);
const sessions = createSessions(db, 'demo_blog_session');
const STATE_COOKIE = 'demo_blog_state';

const POSTS = [
  { title: 'Why we log in with yeon', body: 'One account, and you decide which apps keep what.' },
  { title: 'Kakao-compatible by design', body: 'This blog’s login code was written for Kakao Login.' },
];

function shell(body: ReturnType<typeof html>): string {
  return page({ title: 'Demo Blog', brand: 'Demo Blog · 데모 블로그', color: '#5b3d8a', body });
}

function sendHtml(reply: FastifyReply, body: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

function currentReader(request: FastifyRequest) {
  const session = sessions.find(request.cookies[sessions.cookieName]);
  if (!session) return undefined;
  const reader = db.prepare('SELECT * FROM readers WHERE kakao_id = ?').get(session.user_id) as
    | { kakao_id: string; nickname: string | null; user_me: string }
    | undefined;
  return reader ? { session, reader } : undefined;
}

const app = Fastify({ logger: { level: process.env.YEON_LOG_LEVEL ?? 'info' } });
await app.register(cookie);
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
  done(null, body),
);

app.get('/', async (request, reply) => {
  const current = currentReader(request);
  const posts = POSTS.map((p) => html`<article><h2>${p.title}</h2><p>${p.body}</p></article>`);
  const who = current
    ? html`<section data-testid="reader">
        <h1>Hello, ${current.reader.nickname ?? 'reader'}</h1>
        <p class="muted">Kakao user id: ${current.reader.kakao_id}</p>
        <pre>${current.reader.user_me}</pre>
        <form method="post" action="/logout"><input type="hidden" name="csrf" value="${current.session.csrf}">
        <button class="secondary" type="submit">Log out</button></form>
      </section>`
    : html`<section><h1>Demo Blog</h1>
        <p><a class="button" href="/login" data-testid="login">Log in with yeon (Kakao-compatible)</a></p>
      </section>`;
  return sendHtml(reply, shell(html`${who}<section>${posts}</section>`));
});

app.get('/login', async (_request, reply) => {
  const state = randomId();
  reply.setCookie(STATE_COOKIE, state, { ...COOKIE_OPTIONS, maxAge: 600 });
  const url = new URL('/oauth/authorize', YEON);
  url.search = new URLSearchParams({
    client_id: creds.blog.rest_api_key,
    redirect_uri: creds.blog.redirect_uri,
    response_type: 'code',
    state,
  }).toString();
  return reply.redirect(url.href);
});

app.get('/oauth/kakao/callback', async (request, reply) => {
  const query = request.query as Record<string, string | undefined>;
  const expected = request.cookies[STATE_COOKIE];
  reply.clearCookie(STATE_COOKIE, { path: '/' });
  if (query.error)
    return sendHtml(reply, shell(html`<section><h1>Login cancelled (${query.error})</h1></section>`), 400);
  if (!expected || query.state !== expected || !query.code) {
    return sendHtml(
      reply,
      shell(html`<section><h1>This login has expired; please start again.</h1></section>`),
      400,
    );
  }
  const tokenResponse = await fetch(`${YEON}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: creds.blog.rest_api_key,
      redirect_uri: creds.blog.redirect_uri,
      code: query.code,
    }),
  });
  const token = (await tokenResponse.json()) as { access_token?: string; error?: string };
  if (!tokenResponse.ok || !token.access_token) throw new Error(`token request failed: ${token.error}`);
  const meResponse = await fetch(`${YEON}/v2/user/me`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const me = (await meResponse.json()) as { id?: number; properties?: { nickname?: string } };
  if (!meResponse.ok || !me.id) throw new Error(`/v2/user/me failed: ${meResponse.status}`);
  db.prepare(
    `INSERT INTO readers (kakao_id, nickname, user_me, last_login_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kakao_id) DO UPDATE SET nickname = excluded.nickname, user_me = excluded.user_me,
       last_login_at = excluded.last_login_at`,
  ).run(String(me.id), me.properties?.nickname ?? null, JSON.stringify(me, null, 2), Date.now());
  reply.setCookie(sessions.cookieName, sessions.create(String(me.id)), COOKIE_OPTIONS);
  return reply.redirect('/');
});

app.post('/logout', async (request, reply) => {
  const current = currentReader(request);
  const csrf = new URLSearchParams(String(request.body ?? '')).get('csrf');
  if (current && csrf === current.session.csrf) sessions.destroy(request.cookies[sessions.cookieName]);
  reply.clearCookie(sessions.cookieName, { path: '/' });
  return reply.redirect('/');
});

app.get('/healthz', async () => ({ ok: true }));

await app.listen({ host: process.env.YEON_DEMO_HOST ?? 'localhost', port: portOf(creds.urls.blog) });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => {
      db.close();
      process.exit(0);
    });
  });
}
