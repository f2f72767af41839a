/** Shared steps of the developer console page tests (test/http/console*.test.ts). */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppDetail } from '../../src/modules/apps/apps.types.ts';
import { Agent } from '../helpers/agent.ts';

/** A signed-in browser for a fresh account; English pages so assertions read the English table. */
export async function signedIn(app: FastifyInstance, email: string): Promise<Agent & { accountId: string }> {
  const agent = new Agent(app, { 'accept-language': 'en' });
  const res = await agent.signUp(email, 'correct horse battery', email.split('@')[0]);
  assert.equal(res.statusCode, 303, `sign-up of ${email}`);
  const account = await app.db
    .selectFrom('accounts')
    .select('id')
    .where('email_normalized', '=', email.toLowerCase())
    .executeTakeFirstOrThrow();
  return Object.assign(agent, { accountId: account.id });
}

/** Creates an app through the /developers form and returns its id. */
export async function createAppViaPage(
  agent: Agent,
  name = 'Demo app',
  company = 'Demo Inc.',
): Promise<number> {
  await agent.get('/developers');
  const res = await agent.post('/developers/apps', { name, company_name: company });
  assert.equal(res.statusCode, 303, res.body);
  const m = /^\/developers\/apps\/(\d+)\?done=created$/.exec(String(res.headers.location));
  assert.ok(m, `unexpected location ${res.headers.location}`);
  return Number(m[1]);
}

/** The app as its owner sees it through the service (what was really saved). */
export function detailOf(app: FastifyInstance, accountId: string, appId: number): Promise<AppDetail> {
  return app.services.apps.getAppDetail({ accountId }, appId);
}

/** GET a page first (for a fresh CSRF token in the agent), then POST the form. */
export async function submit(
  agent: Agent,
  page: string,
  action: string,
  form: Record<string, string>,
): Promise<LightMyRequestResponse> {
  const got = await agent.get(page);
  assert.equal(got.statusCode, 200, `GET ${page}`);
  return agent.post(action, form);
}

/** The value attribute of the input named `name` on an HTML page, decoded. */
export function inputValue(html: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tag = new RegExp(`<input[^>]*name="${escaped}"[^>]*>`).exec(html)?.[0];
  const value = tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
  return value === undefined ? undefined : decode(value);
}

export function textareaValue(html: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<textarea[^>]*name="${escaped}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decode(m[1]!) : undefined;
}

export function checkedValue(html: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of html.matchAll(new RegExp(`<input[^>]*name="${escaped}"[^>]*>`, 'g'))) {
    if (/\schecked(\s|>|$)/.test(m[0])) return decode(/value="([^"]*)"/.exec(m[0])?.[1] ?? '');
  }
  return undefined;
}

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
