/**
 * Fixtures for tests of the real engine (buildTestApp: clients from the apps registry, `sub` = the
 * app user id): a developer with an app, a person, and the browser leg of an authorization.
 *
 * `authorizeThroughEngine` finishes each interaction the way the login and consent pages do
 * (oidc-provider `interactionResult`: the Interaction row gets a result, then the browser resumes),
 * consenting through the consent page's own service and Grant (see finishInteraction). Tests that
 * need the real pages post their forms instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, LightMyRequestResponse } from 'fastify';
import { type Interaction, saveConsentGrant } from '../../src/http/interaction/interaction-flow.ts';
import type { CreateAppInput, CreatedApp } from '../../src/modules/apps/apps.types.ts';
import { itemsOfScope } from '../../src/oidc/consent-plan.ts';
import { DEFAULT_SCOPE_PARAM } from '../../src/oidc/interaction-policy.ts';
import { Agent } from '../helpers/agent.ts';

export const REDIRECT_URI = 'https://rp.example/callback';
export const LOGOUT_URI = 'https://rp.example/bye';

let counter = 0;

export async function createPerson(app: FastifyInstance, nickname = 'Person') {
  counter += 1;
  return app.services.accounts.signUp({
    email: `person${counter}-${randomBytes(3).toString('hex')}@example.com`,
    password: 'correct horse battery',
    nickname,
  });
}

export interface TestClient extends CreatedApp {
  ownerId: string;
}

/** A developer and their app: Kakao Login on, nickname required, email optional by default. */
export async function createClientApp(
  app: FastifyInstance,
  input: Partial<CreateAppInput> = {},
): Promise<TestClient> {
  const owner = await createPerson(app, 'Developer');
  const created = await app.services.apps.createApp(
    { accountId: owner.id },
    {
      name: 'Test App',
      company_name: 'Test Co',
      redirect_uris: [REDIRECT_URI],
      logout_redirect_uris: [LOGOUT_URI],
      consent_items: [
        { item: 'profile_nickname', mode: 'required' },
        { item: 'account_email', mode: 'optional' },
      ],
      ...input,
    },
  );
  return { ...created, ownerId: owner.id };
}

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * What the person does on the consent page: tick these optional items (by default the ones the
 * request names), or press "agree to all". Required items are always in, as the page keeps them.
 */
export type ConsentChoice = { items?: string[] } | 'all';

/**
 * Completes one interaction as the pages would: log `accountId` in, or consent as a person on the
 * consent page does, through the page's own code: the screen it shows (`services.consent.screen`),
 * the form posted back with the required items it carries and the ticked ones
 * (`services.consent.give`, which links through `connections.agree`), then the Grant the page saves
 * (`saveConsentGrant`: the live consents, never what the request asked). So a test cannot pass
 * because this stand-in granted more than a person agreeing on the page would.
 */
export async function finishInteraction(
  app: FastifyInstance,
  uid: string,
  person: { accountId: string; appId: number; consent?: ConsentChoice },
): Promise<void> {
  const provider = app.oidc;
  const interaction = await provider.Interaction.find(uid);
  if (!interaction) throw new Error(`no interaction ${uid}`);
  if (interaction.prompt.name === 'login') {
    // merged with the last step's answer, as the pages' `finish` does: the login answered in this
    // authorization still counts when the consent step resumes it
    interaction.result = { ...interaction.lastSubmission, login: { accountId: person.accountId } };
  } else {
    const { accountId, appId } = person;
    const scope = interaction.params.scope as string | undefined;
    const request = { accountId, appId, scope, implicit: interaction.params[DEFAULT_SCOPE_PARAM] === '1' };
    const { plan } = await app.services.consent.screen(request);
    const choice = person.consent ?? {};
    const ticked = choice === 'all' ? [] : (choice.items ?? itemsOfScope(scope));
    const answer = await app.services.consent.give({
      ...request,
      all: choice === 'all',
      posted: [...plan.required, ...ticked],
    });
    if (!answer.given) throw new Error(`consent refused: ${JSON.stringify(answer.screen.plan)}`);
    // saveConsentGrant reads the provider from the request's server, as the route's request has it
    const grantId = await saveConsentGrant({ server: app } as FastifyRequest, interaction as Interaction, {
      accountId,
      appId,
      agreed: answer.agreed,
    });
    interaction.result = { ...interaction.lastSubmission, consent: { grantId } };
  }
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
}

export interface AuthorizeOptions {
  clientId: string;
  appId: number;
  accountId: string;
  scope?: string;
  redirectUri?: string;
  state?: string;
  nonce?: string;
  pkce?: boolean;
  extra?: Record<string, string>;
  browser?: Agent;
  /** what the person agrees to if a consent page comes (default: the items the request names) */
  consent?: ConsentChoice;
}

/** The browser leg: /oauth/authorize → interactions → redirect_uri. Returns the last response. */
export async function authorizeThroughEngine(app: FastifyInstance, o: AuthorizeOptions) {
  const browser = o.browser ?? new Agent(app);
  const pair = pkcePair();
  const query = new URLSearchParams({
    client_id: o.clientId,
    redirect_uri: o.redirectUri ?? REDIRECT_URI,
    response_type: 'code',
    state: o.state ?? 'st-1',
    ...(o.scope !== undefined ? { scope: o.scope } : {}),
    ...(o.nonce ? { nonce: o.nonce } : {}),
    ...(o.pkce === false ? {} : { code_challenge: pair.challenge, code_challenge_method: 'S256' }),
    ...o.extra,
  });
  let res: LightMyRequestResponse = await browser.get(`/oauth/authorize?${query}`);
  for (let hop = 0; hop < 8; hop++) {
    const location = String(res.headers.location ?? '');
    const interaction = /^\/oauth\/interaction\/([\w-]+)/.exec(location);
    if (interaction) {
      await finishInteraction(app, interaction[1]!, {
        accountId: o.accountId,
        appId: o.appId,
        consent: o.consent,
      });
      const details = await app.oidc.Interaction.find(interaction[1]!);
      res = await browser.get(new URL(details!.returnTo).pathname);
      continue;
    }
    break;
  }
  const location = res.headers.location ? new URL(String(res.headers.location)) : undefined;
  return {
    res,
    location,
    code: location?.searchParams.get('code') ?? undefined,
    verifier: pair.verifier,
    browser,
  };
}

export function postForm(app: FastifyInstance, url: string, form: Record<string, string>, headers = {}) {
  return app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
  });
}
