/**
 * Every route in the route table, fuzzed: the app's own listing (`printRoutes`, which includes the
 * oidc-provider mount's routes) is walked with each route's methods plus GET and POST, carrying
 * hostile strings in path parameters, the query, form and JSON bodies: 100 KB strings, malformed
 * percent-encoding (RFC 3986 §2.1), bytes that are not UTF-8, NUL and other controls, `../`,
 * `//evil.example`, emoji and Hangul, numbers past 2^64, arrays where one value is expected, wrong
 * content types and bodies over the limit (OWASP ASVS V5.1). Anonymous, signed-in (with a valid
 * CSRF token, so handlers are reached), developer-token and Kakao-token callers each get a share.
 *
 * The rule checked: a refusal is a 4xx in the route's own envelope, never a 5xx, and nothing is
 * thrown outside a request. fast-check draws the cases from a fixed seed, so a run is repeatable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { hmac } from '../../src/lib/crypto.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp, TEST_SECRETS } from '../helpers/build-test-app.ts';
import { link, mintAccessToken } from '../kakao/helpers.ts';

const SEED = 0x5eed_2026;
/** cases per route and method; the whole file stays well under a minute on two cores */
const RUNS = 6;

const BIG = 'a'.repeat(100_000);
const HOSTILE = [
  '',
  BIG,
  `${'한'.repeat(20_000)}😀`,
  '%E0%A4%A',
  '%',
  '%zz',
  '%FF%FE',
  '%C0%AF',
  '\u0000',
  'a\u0000b',
  '\u0001\u001b[31m\u007f\u0085\u009f',
  'line\r\nSet-Cookie: x=1',
  '../../../etc/passwd',
  '..%2F..%2F',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  '😀한글',
  '\uD800',
  '\uFEFF\u202E',
  '18446744073709551616',
  '-18446744073709551617',
  '1e309',
  '-1',
  '0',
  'NaN',
  '0x7fffffffffffffff',
  'true',
  'null',
  '[]',
  '{}',
  '{"a":[1,{"b":null}]}',
  '["a","b"]',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
  'kim@example.com',
  '\u212Aim@example.com',
  'a@b',
] as const;

/** Names the app's forms and APIs read, and some that no one should. */
const FIELDS = [
  'email',
  'password',
  'password_confirm',
  'nickname',
  'next',
  'return_to',
  'name',
  'company_name',
  'description',
  'privacy_policy_url',
  'redirect_uris',
  'logout_redirect_uris',
  'javascript_origins',
  'site_urls',
  'role',
  'item',
  'items',
  'mode',
  'callback_url',
  'method',
  'state',
  'format',
  'properties',
  'property_keys',
  'target_id',
  'target_id_type',
  'target_ids',
  'scopes',
  'client_id',
  'client_secret',
  'redirect_uri',
  'response_type',
  'grant_type',
  'code',
  'code_verifier',
  'refresh_token',
  'token',
  'scope',
  'prompt',
  'limit',
  'after',
  'before',
  'from_id',
  'order',
  'status',
  'lang',
  'to',
  'confirm',
  'remember',
  'account_email',
  'consent_items',
  '__proto__',
  'constructor',
  'a[b]',
  '',
] as const;

type Variant = 'anon' | 'session' | 'devtoken' | 'kakao' | 'kakaoAdmin';
type BodyKind =
  | 'none'
  | 'form'
  | 'json'
  | 'jsonArray'
  | 'jsonScalar'
  | 'badJson'
  | 'text'
  | 'bytes'
  | 'multipart'
  | 'huge';

interface Case {
  variant: Variant;
  param: string;
  realParam: boolean;
  query: Array<[string, string | string[]]>;
  body: BodyKind;
  fields: Array<[string, string | string[] | number | boolean | null | object]>;
}

const hostile = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
);
const value = fc.oneof(
  { weight: 4, arbitrary: hostile },
  { weight: 1, arbitrary: fc.array(hostile, { minLength: 2, maxLength: 3 }) },
);
const jsonValue = fc.oneof(
  { weight: 4, arbitrary: value },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 64, -(2 ** 64), 1.5, Number.MAX_VALUE, null, true) },
  { weight: 1, arbitrary: fc.constantFrom({ nested: { a: '\u0000' } }, [[[]]], { length: 1e9 }) },
);
const caseArb: fc.Arbitrary<Case> = fc.record({
  variant: fc.constantFrom<Variant>('anon', 'session', 'session', 'devtoken', 'kakao', 'kakaoAdmin'),
  param: hostile,
  realParam: fc.boolean(),
  query: fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { maxLength: 3 }),
  body: fc.constantFrom<BodyKind>(
    'none',
    'form',
    'form',
    'json',
    'json',
    'jsonArray',
    'jsonScalar',
    'badJson',
    'text',
    'bytes',
    'multipart',
    'huge',
  ),
  fields: fc.array(fc.tuple(fc.constantFrom(...FIELDS), jsonValue), { minLength: 1, maxLength: 5 }),
});

/**
 * Cases every route gets besides the drawn ones: where-to-go-next values a redirecting page must
 * refuse or re-encode, as a visitor and signed in.
 */
const EDGES: Case[] = (['anon', 'session'] as const).flatMap((variant) => [
  {
    variant,
    param: '%E0%A4%A',
    realParam: false,
    query: [
      ['to', 'ko'],
      ['next', '/%ED%95%9C'],
      ['return_to', '%E0%A4%A'],
    ],
    body: 'form',
    fields: [
      ['next', '/한'],
      ['return_to', '//evil.example'],
    ],
  },
  {
    variant,
    param: '한',
    realParam: true,
    query: [
      ['next', ['/%E0%A4%A', '//evil.example']],
      ['return_to', '/\u00e9'],
    ],
    body: 'json',
    fields: [
      ['next', ['/😀', '/%FF']],
      ['email', '\u212Aim@example.com'],
    ],
  },
]);

interface Route {
  url: string;
  methods: string[];
}

/**
 * The route table from Fastify's own listing (`printRoutes` with every path in full segments):
 * each line is a node, indented four characters per level, whose path continues its parent's.
 */
function routeTable(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const methods = m[3]!.split(', ').filter((x) => x !== 'HEAD');
    routes.push({ url: stack.join(''), methods });
  }
  return routes;
}

function encodeParam(s: string): string {
  // Malformed escapes and raw `../` go in as they are: that is the point of them.
  if (/^[\x21-\x7e]*$/.test(s) && !s.includes('?') && !s.includes('#')) return s;
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as its (invalid) UTF-8 bytes
  }
}

function queryString(pairs: Case['query']): string {
  const parts: string[] = [];
  for (const [k, v] of pairs)
    for (const one of Array.isArray(v) ? v : [v]) {
      // Half the values raw (malformed escapes reach the parser), half encoded.
      const raw = /^[\x21-\x7e]*$/.test(one) && !/[&#]/.test(one);
      parts.push(`${encodeParam(k)}=${raw ? one : encodeParam(one)}`);
    }
  return parts.length ? `?${parts.join('&')}` : '';
}

function formBody(fields: Case['fields'], csrf?: string): string {
  const parts: string[] = csrf ? [`_csrf=${encodeURIComponent(csrf)}`] : [];
  for (const [k, v] of fields)
    for (const one of Array.isArray(v) ? v : [v]) {
      const s = typeof one === 'string' ? one : JSON.stringify(one);
      parts.push(`${encodeParam(k)}=${/^%/.test(s) ? s : encodeParam(s)}`);
    }
  return parts.join('&');
}

interface Callers {
  cookie: string;
  csrf: string;
  devToken: string;
  kakaoToken: string;
  adminKey: string;
  appId: number;
}

function request(route: Route, method: string, c: Case, who: Callers): InjectOptions {
  const path = route.url.replace(/:[A-Za-z_]+|\*/g, () =>
    c.realParam ? String(who.appId) : encodeParam(c.param),
  );
  const headers: Record<string, string> = { accept: c.param.length % 2 ? 'text/html' : 'application/json' };
  if (c.variant === 'session') headers.cookie = who.cookie;
  if (c.variant === 'devtoken') headers.authorization = `Bearer ${who.devToken}`;
  if (c.variant === 'kakao') headers.authorization = `Bearer ${who.kakaoToken}`;
  if (c.variant === 'kakaoAdmin') headers.authorization = `KakaoAK ${who.adminKey}`;
  const csrf = c.variant === 'session' ? who.csrf : undefined;
  const options: InjectOptions = {
    method: method as InjectOptions['method'],
    url: path + queryString(c.query),
    headers,
  };
  const json = () => Object.fromEntries([...(csrf ? [['_csrf', csrf]] : []), ...c.fields]);
  switch (c.body) {
    case 'none':
      break;
    case 'form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      options.payload = formBody(c.fields, csrf);
      break;
    case 'json':
      headers['content-type'] = 'application/json';
      options.payload = JSON.stringify(json());
      break;
    case 'jsonArray':
      headers['content-type'] = 'application/json';
      options.payload = JSON.stringify([json()]);
      break;
    case 'jsonScalar':
      headers['content-type'] = 'application/json; charset=utf-8';
      options.payload = JSON.stringify(c.fields[0]![1]);
      break;
    case 'badJson':
      headers['content-type'] = 'application/json';
      options.payload = `{"email": "${c.param.slice(0, 50)}`;
      break;
    case 'text':
      headers['content-type'] = 'text/plain; charset=latin1';
      options.payload = formBody(c.fields, csrf);
      break;
    case 'bytes':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      options.payload = Buffer.concat([
        Buffer.from(`${csrf ? `_csrf=${csrf}&` : ''}email=`),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x00]),
        Buffer.from('&nickname=%C3%28'),
      ]);
      break;
    case 'multipart':
      headers['content-type'] = 'multipart/form-data; boundary=XyZ';
      options.payload = `--XyZ\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf ?? ''}\r\n--XyZ\r\nContent-Disposition: form-data; name="icon"; filename="${c.param.slice(0, 40)}"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ`;
      break;
    case 'huge':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      options.payload = `${csrf ? `_csrf=${csrf}&` : ''}name=${'x'.repeat(1_100_000)}`;
      break;
  }
  return options;
}

describe('route fuzz', () => {
  it('answers every route with hostile input without a 5xx or a crash', { timeout: 120_000 }, async (t) => {
    const crashes: unknown[] = [];
    const onCrash = (err: unknown) => crashes.push(err);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    t.after(() => {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    });

    const { app } = await buildTestApp(t);
    // A developer signed in to the pages, owning a Kakao app she is also linked to.
    const email = 'fuzz@example.com';
    const agent = new Agent(app);
    assert.equal((await agent.signUp(email)).statusCode, 303);
    const me = (await app.services.accounts.getByEmail(email))!;
    const created = await app.services.apps.createApp(
      { accountId: me.id },
      {
        name: 'Fuzz app',
        redirect_uris: ['https://rp.example/callback'],
        consent_items: [
          { item: 'profile_nickname', mode: 'required' },
          { item: 'account_email', mode: 'optional' },
        ],
      },
    );
    const client = { ...created, ownerId: me.id };
    await link(app, me.id, client, ['profile_nickname', 'account_email']);
    const csrfSeed = 'fuzz-csrf-seed';
    const signIn = async () => {
      await agent.login(email);
      agent.cookies.set('yeon_csrf', csrfSeed);
      return [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    };
    const who: Callers = {
      cookie: await signIn(),
      csrf: hmac(TEST_SECRETS.cookieSecret, `csrf:${csrfSeed}`),
      devToken: (await app.services.developerTokens.createToken(me.id)).token,
      kakaoToken: await mintAccessToken(app, me.id, client),
      adminKey: created.admin_key,
      appId: created.app_id,
    };
    assert.equal((await app.inject({ url: '/account', headers: { cookie: who.cookie } })).statusCode, 200);

    const routes = routeTable(app);
    assert.ok(routes.length > 80, `route table read: ${routes.length} routes`);
    assert.ok(
      routes.some((r) => r.url === '/oauth/token'),
      'the OAuth engine mount is listed',
    );
    // Deleting things last, so the other routes still find the app and the session.
    const order = (m: string) => (m === 'DELETE' ? 1 : 0);
    const plan = routes
      .flatMap((r) => [...new Set([...r.methods, 'GET', 'POST'])].map((method) => ({ route: r, method })))
      .sort((a, b) => order(a.method) - order(b.method));

    const failures: string[] = [];
    let sent = 0;
    const statuses: Record<number, number> = {};
    let seed = SEED;
    for (const { route, method } of plan) {
      const cases = [...EDGES, ...fc.sample(caseArb, { seed: seed++, numRuns: RUNS })];
      for (const c of cases) {
        const options = request(route, method, c, who);
        sent += 1;
        try {
          const res = await app.inject(options);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 500)
            failures.push(
              `${method} ${route.url} [${c.variant}/${c.body}] ${String(options.url).slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
        } catch (err) {
          failures.push(`${method} ${route.url} [${c.variant}/${c.body}] threw ${(err as Error).message}`);
        }
      }
      // A fuzzed /logout or account change may end the session: sign in again for the next route.
      const check = await app.inject({ url: '/account', headers: { cookie: who.cookie } });
      if (check.statusCode !== 200) who.cookie = await signIn();
    }
    if (process.env.FUZZ_DEBUG) console.log(sent, JSON.stringify(statuses));
    assert.ok(sent > 1000, `${sent} requests sent`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} requests answered 5xx or threw`);
    assert.deepEqual(crashes, []);
  });
});
