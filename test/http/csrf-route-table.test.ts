/**
 * CSRF is the router's rule, not each handler's (OWASP ASVS V4.2.2; OWASP CSRF Prevention Cheat
 * Sheet): this test reads the route table as the app registers it and fails on any route a browser
 * could send with an unsafe method that neither carries the router's check nor is listed below as
 * not a browser form, with the reason. Then every checked route is driven without a token, with a
 * signed-in browser's cookies, and must be refused with `csrf_invalid` (403).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { verifyCsrf } from '../../src/http/plugins/csrf.plugin.ts';
import type { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createAppViaPage, signedIn } from './console-helpers.ts';

/** Routes that take an unsafe method but are not browser forms: none reads yeon's session cookie. */
const NOT_BROWSER_FORMS: Array<{ prefix: string; reason: string }> = [
  { prefix: '/api/v1/', reason: 'JSON management API, `Authorization: Bearer yeon_dt_…` developer tokens' },
  { prefix: '/v1/app/', reason: 'app API, `Authorization: KakaoAK {admin key}` from the app server' },
  { prefix: '/v1/user/', reason: 'Kakao user APIs, Bearer access token or KakaoAK admin key' },
  { prefix: '/v2/user/', reason: 'Kakao user APIs, Bearer access token or KakaoAK admin key' },
  { prefix: '/oauth/token', reason: 'OAuth engine mount (oidc-provider): client authentication' },
  { prefix: '/oauth/revoke', reason: 'OAuth engine mount (oidc-provider): client authentication' },
  { prefix: '/oauth/introspect', reason: 'OAuth engine mount (oidc-provider): client authentication' },
  { prefix: '/v1/oidc/userinfo', reason: 'OAuth engine mount (oidc-provider): Bearer access token' },
  {
    prefix: '/oidc/logout/confirm',
    reason: "OAuth engine mount: oidc-provider's own logout form, checked by its own `xsrf` token",
  },
  { prefix: '/oauth/tokeninfo', reason: 'verifies an ID token sent in the body; changes nothing' },
];

/** Named here so that losing them from the table (or their check) fails loudly. */
const MUST_BE_CHECKED = [
  'POST /account/delete',
  'POST /developers/apps/:appId/deliveries/:id/redeliver',
  'POST /developers/apps/:appId/deliveries/redeliver-failed',
  'POST /developers/apps/:appId/deliveries/pause',
  'POST /developers/apps/:appId/deliveries/resume',
  'POST /developers/apps/:appId/deliveries/events',
  'POST /developers/apps/:appId/icon',
  'POST /login',
  'POST /signup',
  'POST /logout',
  'POST /oauth/interaction/:uid/consent',
];

function notBrowserForm(url: string): boolean {
  return NOT_BROWSER_FORMS.some((e) => url.startsWith(e.prefix));
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Row {
  method: string;
  url: string;
  checked: boolean;
}

function rowsOf(routes: RouteOptions[]): Row[] {
  const rows: Row[] = [];
  for (const route of routes) {
    // Read after the app is built: scopes' own onRoute hooks ran after the collector.
    const preHandlers = [route.preHandler ?? []].flat();
    for (const method of [route.method].flat()) {
      if (SAFE.has(method)) continue;
      rows.push({ method, url: route.url ?? '', checked: preHandlers.includes(verifyCsrf) });
    }
  }
  return rows;
}

async function setUp(t: Parameters<typeof buildTestApp>[0]) {
  const routes: RouteOptions[] = [];
  const { app } = await buildTestApp(t, { onRoute: (route) => void routes.push(route) });
  return { app, rows: rowsOf(routes) };
}

/** The agent's cookies (session and CSRF seed) and exactly the body given: no token. */
function send(
  app: FastifyInstance,
  agent: Agent,
  method: string,
  url: string,
  body: { payload: string | Buffer; type: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: method as 'POST',
    url,
    payload: body.payload,
    headers: {
      accept: 'application/json',
      'content-type': body.type,
      cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

function assertRefused(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 403, `${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  assert.equal(res.json().error.code, 'csrf_invalid', what);
}

describe('CSRF: the route table', () => {
  it('every unsafe-method route is checked by the router or listed as not a browser form', async (t) => {
    const { rows } = await setUp(t);
    const unprotected = rows
      .filter((r) => !r.checked && !notBrowserForm(r.url))
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(unprotected, [], 'unsafe-method routes without the CSRF check');
    const checkedButListed = rows.filter((r) => r.checked && notBrowserForm(r.url)).map((r) => r.url);
    assert.deepEqual(checkedButListed, [], 'a listed exclusion covers a browser form');
    for (const e of NOT_BROWSER_FORMS) {
      assert.ok(
        rows.some((r) => r.url.startsWith(e.prefix)),
        `stale exclusion ${e.prefix}`,
      );
    }
    const checked = new Set(rows.filter((r) => r.checked).map((r) => `${r.method} ${r.url}`));
    for (const name of MUST_BE_CHECKED) assert.ok(checked.has(name), `${name} is checked`);
  });

  it('every browser route refuses a request without the token (403 csrf_invalid), signed in', async (t) => {
    const { app, rows } = await setUp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const appId = await createAppViaPage(mina);
    const params: Record<string, string> = {
      appId: String(appId),
      id: '1',
      accountId: mina.accountId,
      item: 'phone_number',
      uid: 'no-such-interaction',
    };
    // Every browser route, as the table says it is, not only those that carry the check.
    const browserRoutes = rows.filter((r) => !notBrowserForm(r.url));
    assert.ok(browserRoutes.length >= 30, `${browserRoutes.length} browser routes`);
    for (const row of browserRoutes) {
      const url = row.url.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? 'x');
      const form = {
        payload: 'confirm=1&password=correct+horse+battery',
        type: 'application/x-www-form-urlencoded',
      };
      assertRefused(await send(app, mina, row.method, url, form), `${row.method} ${row.url}`);
      const wrong = { ...form, payload: `${form.payload}&_csrf=${mina.csrf().slice(0, -2)}xx` };
      assertRefused(await send(app, mina, row.method, url, wrong), `${row.method} ${row.url} (wrong token)`);
    }
    // Nothing was changed: still signed in, the account and its app are there.
    assert.equal((await mina.get(`/developers/apps/${appId}`)).statusCode, 200);
  });

  it('the icon upload (multipart) goes through the same check, before any file byte', async (t) => {
    const { app } = await setUp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const appId = await createAppViaPage(mina);
    await mina.get(`/developers/apps/${appId}`);
    const boundary = '----yeon-route-table';
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const file = `--${boundary}\r\nContent-Disposition: form-data; name="icon"; filename="i.png"\r\nContent-Type: image/png\r\n\r\nxx\r\n`;
    const end = `--${boundary}--\r\n`;
    const type = `multipart/form-data; boundary=${boundary}`;
    const url = `/developers/apps/${appId}/icon`;
    for (const [what, payload] of [
      ['no token', `${field('note', 'x')}${file}${end}`],
      ['no parts but a field', `${field('note', 'x')}${end}`],
      ['token after the file', `${file}${field('_csrf', mina.csrf())}${end}`],
      ['wrong token', `${field('_csrf', `${mina.csrf().slice(0, -2)}xx`)}${file}${end}`],
    ] as const) {
      assertRefused(await send(app, mina, 'POST', url, { payload, type }), `icon upload, ${what}`);
    }
    // Control: the right token first, then the file, passes the check (refused only as not a PNG).
    const ok = await send(app, mina, 'POST', url, {
      payload: `${field('_csrf', mina.csrf())}${file}${end}`,
      type,
    });
    assert.notEqual(ok.statusCode, 403, ok.body);
  });
});
