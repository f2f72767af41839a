/**
 * Demo Shop (case 1: an app with an unlink callback): a third-party web app that logs in with yeon
 * through openid-client 6 (discovery, authorization code + PKCE, state and nonce), shows what it
 * received (ID token claims and Kakao's /v2/user/me), keeps a wish list per person in its own
 * SQLite file, and handles yeon's unlink callback with @yeon/unlink-receiver: verify (KakaoAK +
 * Standard Webhooks signature), parse, process once, delete the person's data, answer with a
 * deletion receipt whose status page is served here.
 *
 * Run by `npm start` with YEON_DEMO_CREDENTIALS (written by `yeon demo setup`) and YEON_DEMO_DIR.
 */
import cookie from '@fastify/cookie';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import { handleUnlinkRequest } from '../../packages/unlink-receiver/src/index.ts';
import {
  COOKIE_OPTIONS,
  createSessions,
  dbFile,
  portOf,
  randomId,
  readCredentials,
} from '../common/demo-app.ts';
import {
  addWish,
  deleteUserData,
  findDeletion,
  findUser,
  listWishes,
  openShopDb,
  recordDeletion,
  sqliteIdempotencyStore,
  upsertUser,
} from './shop-db.ts';
import { deletionPage, errorPage, homePage, privacyPage } from './shop-views.ts';

const creds = readCredentials();
const SHOP = creds.urls.shop;
const YEON = creds.urls.yeon;
const db = openShopDb(dbFile('shop'));
const sessions = createSessions(db, 'demo_shop_session');
const LOGIN_COOKIE = 'demo_shop_login';
const SCOPE = 'openid profile_nickname account_email';

// Discovery is lazy and retried: the shop may start before yeon answers.
let discovered: Promise<oidc.Configuration> | undefined;
function oidcConfig(): Promise<oidc.Configuration> {
  discovered ??= oidc
    .discovery(
      new URL(YEON),
      creds.shop.rest_api_key,
      { redirect_uris: [creds.shop.redirect_uri], id_token_signed_response_alg: 'RS256' },
      oidc.ClientSecretPost(creds.shop.client_secret),
      // yeon runs on http://localhost in the demo; a real deployment has an https issuer.
      { execute: [oidc.allowInsecureRequests] },
    )
    .catch((err) => {
      discovered = undefined;
      throw err;
    });
  return discovered;
}

const app = Fastify({ logger: { level: process.env.YEON_LOG_LEVEL ?? 'info' } });
await app.register(cookie);
// Raw bodies: the unlink signature covers the exact bytes; forms are parsed by hand below.
app.addContentTypeParser(
  ['application/x-www-form-urlencoded', 'application/json'],
  { parseAs: 'string' },
  (_req, body, done) => done(null, body),
);

function currentUser(request: FastifyRequest) {
  const session = sessions.find(request.cookies[sessions.cookieName]);
  const user = session ? findUser(db, session.user_id) : undefined;
  return session && user ? { session, user } : undefined;
}

function form(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(typeof request.body === 'string' ? request.body : '');
}

function sendHtml(reply: FastifyReply, body: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

app.get('/', async (request, reply) => {
  const current = currentUser(request);
  return sendHtml(
    reply,
    homePage(
      current
        ? { user: current.user, csrf: current.session.csrf, wishes: listWishes(db, current.user.id) }
        : undefined,
    ),
  );
});

app.get('/login', async (_request, reply) => {
  const config = await oidcConfig();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  db.prepare('DELETE FROM pending_logins WHERE created_at < ?').run(Date.now() - 3_600_000);
  db.prepare('INSERT INTO pending_logins (state, nonce, verifier, created_at) VALUES (?, ?, ?, ?)').run(
    state,
    nonce,
    verifier,
    Date.now(),
  );
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: creds.shop.redirect_uri,
    scope: SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  reply.setCookie(LOGIN_COOKIE, state, { ...COOKIE_OPTIONS, maxAge: 3600 });
  return reply.redirect(url.href);
});

app.get('/auth/callback', async (request, reply) => {
  const state = request.cookies[LOGIN_COOKIE];
  const pending = state
    ? (db.prepare('SELECT nonce, verifier FROM pending_logins WHERE state = ?').get(state) as
        | { nonce: string; verifier: string }
        | undefined)
    : undefined;
  reply.clearCookie(LOGIN_COOKIE, { path: '/' });
  const query = request.query as Record<string, string | undefined>;
  if (query.error)
    return sendHtml(reply, errorPage(`yeon answered: ${query.error}`, query.error_description), 400);
  if (!state || !pending)
    return sendHtml(reply, errorPage('This login has expired. Please start again.'), 400);
  db.prepare('DELETE FROM pending_logins WHERE state = ?').run(state);

  const config = await oidcConfig();
  const tokens = await oidc.authorizationCodeGrant(config, new URL(request.url, SHOP), {
    pkceCodeVerifier: pending.verifier,
    expectedState: state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  // Kakao's profile endpoint, as a Kakao app would call it after login.
  const meResponse = await fetch(`${YEON}/v2/user/me`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  const me = (await meResponse.json()) as {
    id?: number;
    kakao_account?: { email?: string; profile?: { nickname?: string } };
  };
  if (!meResponse.ok || String(me.id) !== claims.sub)
    throw new Error(`/v2/user/me failed: ${meResponse.status}`);
  // The tokens are not kept: the shop needs the profile once, not access to yeon later.
  upsertUser(
    db,
    {
      id: claims.sub,
      nickname: me.kakao_account?.profile?.nickname ?? (claims.nickname as string | undefined) ?? null,
      email: me.kakao_account?.email ?? (claims.email as string | undefined) ?? null,
      id_token_claims: JSON.stringify(claims, null, 2),
      user_me: JSON.stringify(me, null, 2),
    },
    Date.now(),
  );
  reply.setCookie(sessions.cookieName, sessions.create(claims.sub), COOKIE_OPTIONS);
  return reply.redirect('/');
});

app.post('/wishes', async (request, reply) => {
  const current = currentUser(request);
  const body = form(request);
  if (!current || body.get('csrf') !== current.session.csrf) return reply.redirect('/');
  const item = (body.get('item') ?? '').trim().slice(0, 100);
  if (item) addWish(db, current.user.id, item, Date.now());
  return reply.redirect('/');
});

app.post('/logout', async (request, reply) => {
  const current = currentUser(request);
  if (current && form(request).get('csrf') === current.session.csrf) {
    sessions.destroy(request.cookies[sessions.cookieName]);
  }
  reply.clearCookie(sessions.cookieName, { path: '/' });
  return reply.redirect('/');
});

/** yeon's unlink callback (POST, Kakao form format). Answer fast: only local deletes happen here. */
const idempotency = sqliteIdempotencyStore(db);
app.post('/unlink', async (request, reply) => {
  const result = await handleUnlinkRequest(
    {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: typeof request.body === 'string' ? request.body : '',
    },
    {
      adminKey: creds.shop.admin_key,
      secrets: [creds.shop.webhook_secret],
      appId: creds.shop.app_id,
      store: idempotency,
      onUnlink(event) {
        if (event.test) return undefined;
        const removed = deleteUserData(db, event.userId);
        const code = `shop-del-${randomId(9)}`;
        recordDeletion(db, { code, referrerType: event.referrerType, ...removed }, Date.now());
        request.log.info({ userId: event.userId, ...removed, code }, 'unlink: deleted the person’s data');
        return { confirmation_code: code, status_url: `${SHOP}/deletion/${code}` };
      },
    },
  );
  return reply.code(result.status).send(result.body);
});

app.get('/deletion/:code', async (request, reply) => {
  const record = findDeletion(db, (request.params as { code: string }).code);
  if (!record) return sendHtml(reply, errorPage('No deletion with this code.'), 404);
  return sendHtml(reply, deletionPage(record));
});

app.get('/privacy', async (_request, reply) => sendHtml(reply, privacyPage()));
app.get('/healthz', async () => ({ ok: true }));

app.setErrorHandler((err, request, reply) => {
  request.log.error(err);
  return sendHtml(reply, errorPage('Something went wrong.', (err as Error).message), 500);
});

await app.listen({ host: process.env.YEON_DEMO_HOST ?? 'localhost', port: portOf(SHOP) });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => {
      db.close();
      process.exit(0);
    });
  });
}
