/**
 * Fixtures for the login and consent page tests: the real app (engine included), a developer's app
 * from the registry, people, and a browser (the cookie-keeping Agent) that follows yeon's own
 * redirects and stops at a page or at the redirect back to the app.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { CreateAppInput, CreatedApp } from '../../src/modules/apps/apps.types.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

export const REDIRECT_URI = 'https://rp.example/callback';
export const PASSWORD = 'correct horse battery';

let counter = 0;

export async function startApp(t: Pick<TestContext, 'after'>) {
  const { app, db, config } = await buildTestApp(t);
  return { app, db, config };
}

export async function createPerson(app: FastifyInstance, nickname = 'Person') {
  counter += 1;
  return app.services.accounts.signUp({
    email: `person${counter}-${randomBytes(3).toString('hex')}@example.com`,
    password: PASSWORD,
    nickname,
  });
}

/** An app with nickname required, email optional, gender during-use (by default). */
export async function createClientApp(
  app: FastifyInstance,
  input: Partial<CreateAppInput> = {},
): Promise<CreatedApp> {
  const owner = await createPerson(app, 'Developer');
  return app.services.apps.createApp(
    { accountId: owner.id },
    {
      name: 'Cookie Shop',
      company_name: 'Cookie Co',
      privacy_policy_url: 'https://rp.example/privacy',
      redirect_uris: [REDIRECT_URI],
      consent_items: [
        { item: 'profile_nickname', mode: 'required', purpose_en: 'To greet you', purpose_ko: '인사하려고' },
        { item: 'account_email', mode: 'optional', purpose_en: 'For receipts', purpose_ko: '영수증 발송' },
        { item: 'gender', mode: 'during_use', purpose_en: 'For sizes', purpose_ko: '치수 추천' },
      ],
      ...input,
    },
  );
}

export function authorizeUrl(clientId: string, params: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    state: 'state-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...params,
  });
  return { url: `/oauth/authorize?${query}`, verifier };
}

/** Follows redirects on yeon's origin; stops at a page, or at a redirect elsewhere (the app). */
export async function follow(
  browser: Agent,
  issuer: string,
  first: LightMyRequestResponse,
): Promise<LightMyRequestResponse> {
  let res = first;
  const origin = new URL(issuer).origin;
  for (let hop = 0; hop < 10; hop++) {
    if (res.statusCode < 300 || res.statusCode >= 400) return res;
    const next = new URL(String(res.headers.location), issuer);
    if (next.origin !== origin) return res;
    res = await browser.get(next.pathname + next.search);
  }
  throw new Error('too many redirects');
}

/** The redirect back to the app, as a URL (throws when the browser is not there). */
export function appRedirect(res: LightMyRequestResponse): URL {
  const location = String(res.headers.location ?? '');
  if (!location.startsWith(REDIRECT_URI)) {
    throw new Error(
      `expected a redirect to the app, got ${res.statusCode} ${location} ${res.body.slice(0, 300)}`,
    );
  }
  return new URL(location);
}

/** The interaction path of the page the browser is on. */
export function formAction(html: string, suffix: string): string {
  const m = new RegExp(`action="(/oauth/interaction/[\\w-]+/${suffix})"`).exec(html);
  if (!m) throw new Error(`no ${suffix} form on the page: ${html.slice(0, 400)}`);
  return m[1]!;
}

export async function startAuthorize(browser: Agent, issuer: string, clientId: string, params = {}) {
  const { url } = authorizeUrl(clientId, params);
  return follow(browser, issuer, await browser.get(url));
}

/** Logs in on the interaction login page the browser is on. */
export async function submitLogin(browser: Agent, issuer: string, email: string, password = PASSWORD) {
  const action = formAction(browser.lastHtml, 'login');
  return follow(browser, issuer, await browser.post(action, { email, password }));
}

/** Submits the consent page the browser is on. */
export async function submitConsent(
  browser: Agent,
  issuer: string,
  form: { action: 'agree' | 'agree_all' | 'cancel'; items?: string[]; keepRequired?: boolean },
) {
  const html = browser.lastHtml;
  const action = formAction(html, 'consent');
  const required = [...html.matchAll(/<input type="hidden" name="item" value="([\w]+)"/g)].map((m) => m[1]!);
  const body = new URLSearchParams({ _csrf: browser.csrf(), action: form.action });
  for (const i of form.keepRequired === false ? [] : required) body.append('item', i);
  for (const i of form.items ?? []) body.append('item', i);
  const res = await browser.app.inject({
    method: 'POST',
    url: action,
    payload: body.toString(),
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...browser.headers,
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
  for (const c of res.cookies as Array<{ name: string; value: string }>) browser.cookies.set(c.name, c.value);
  if (String(res.headers['content-type'] ?? '').startsWith('text/html')) browser.lastHtml = res.body;
  return follow(browser, issuer, res);
}

export { Agent };

/** Headers of an English-speaking browser (the default locale is Korean). */
export const EN = { 'accept-language': 'en' };

/** Exchanges a code (public client with PKCE) and returns the token response and ID token claims. */
export async function exchange(app: FastifyInstance, clientId: string, code: string, verifier: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: verifier,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
  });
  const body = res.json() as Record<string, string>;
  const claims = body.id_token
    ? (JSON.parse(Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString()) as Record<
        string,
        unknown
      >)
    : undefined;
  return { status: res.statusCode, body, claims };
}

/** A whole authorization with its own PKCE pair: the final response and the verifier. */
export async function authorize(
  browser: Agent,
  issuer: string,
  clientId: string,
  params: Record<string, string> = {},
) {
  const { url, verifier } = authorizeUrl(clientId, params);
  const res = await follow(browser, issuer, await browser.get(url));
  return { res, verifier };
}
