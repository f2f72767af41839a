/**
 * Helpers of the interaction routes: reading oidc-provider's interaction for this browser, the app
 * behind it, and finishing a step. Kept apart so the route file stays a list of thin handlers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AppError } from '../../errors/catalogue.ts';
import { appIdOfClient, oidcEnabledForClient } from '../../oidc/consent-state.ts';
import { applyLiveConsents } from '../../oidc/existing-grant.ts';
import type { InteractionApp } from '../../views/pages/interaction/login-pages.tsx';

export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

export function providerOf(request: FastifyRequest): Provider {
  const provider = (request.server as { oidc?: Provider }).oidc;
  if (!provider) throw new AppError('not_found');
  return provider;
}

/**
 * The interaction named in the URL, bound to this browser by oidc-provider's signed cookie: a uid
 * from another browser (or an expired one) is refused, never shown.
 */
export async function loadInteraction(request: FastifyRequest, reply: FastifyReply): Promise<Interaction> {
  const { uid } = request.params as { uid: string };
  let details: Interaction;
  try {
    details = await providerOf(request).interactionDetails(request.raw, reply.raw);
  } catch (err) {
    throw new AppError('interaction_expired', { cause: err });
  }
  if (details.uid !== uid) throw new AppError('interaction_expired');
  return details;
}

/**
 * The app behind the interaction's client, read straight from the registry by its REST API key (one
 * query, not oidc-provider's Client.find and then the app: one query less per login). The rule is
 * clients.ts's: an unknown or revoked key, or an app with Kakao Login off, has no client.
 */
export async function appOf(request: FastifyRequest, details: Interaction): Promise<InteractionApp> {
  const found = await request.server.services.apps.findLoginApp(String(details.params.client_id ?? ''));
  if (!found) throw new AppError('interaction_expired');
  return found;
}

/**
 * The Grant of a consent just given: it mirrors the live consents (existing-grant.ts), on the
 * interaction's grant when it is this account's at this client, else a new one. @returns its id
 */
export async function saveConsentGrant(
  request: FastifyRequest,
  details: Interaction,
  grantFor: { accountId: string; appId: number; agreed: ReadonlySet<string> },
): Promise<string> {
  const provider = providerOf(request);
  const { accountId } = grantFor;
  const clientId = String(details.params.client_id);
  const client = await provider.Client.find(clientId);
  if (appIdOfClient(client) !== grantFor.appId) throw new AppError('interaction_expired');
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (grant && (grant.accountId !== accountId || grant.clientId !== clientId)) grant = undefined;
  grant ??= new provider.Grant({ accountId, clientId });
  applyLiveConsents(grant, {
    agreed: grantFor.agreed,
    requested: String(details.params.scope ?? '').split(' '),
    oidcEnabled: oidcEnabledForClient(client),
  });
  return grant.save();
}

/**
 * Saves the step's result on the interaction this request read in loadInteraction, as
 * oidc-provider's `interactionResult` does (lib/provider.js: merge with the last submission unless
 * it is an error, keep the expiry), without reading the interaction and its signed cookie a second
 * time (one query less per login). Returns where the browser resumes.
 */
async function saveResult(details: Interaction, result: InteractionResults, merge: boolean): Promise<string> {
  details.result = merge && !('error' in result) ? { ...details.lastSubmission, ...result } : result;
  await details.save(details.exp - Math.floor(Date.now() / 1000));
  return details.returnTo;
}

/**
 * Saves the step's result and sends the browser back to oidc-provider (README "User flows":
 * the result + our own 303, so Fastify's headers still apply).
 */
export async function finish(
  reply: FastifyReply,
  details: Interaction,
  result: InteractionResults,
  merge = true,
): Promise<FastifyReply> {
  const url = await saveResult(details, result, merge);
  return reply.header('cache-control', 'no-store').redirect(url, 303);
}

/**
 * Finishes the login step for `accountId`. When oidc-provider's session still holds another
 * account (yeon's session changed hands), that session is emptied first: otherwise oidc-provider
 * would interpose its own logout form (lib/actions/authorization/resume.js).
 */
export async function finishLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  details: Interaction,
  login: { accountId: string; remember: boolean; ts?: number },
  extra: InteractionResults = {},
): Promise<FastifyReply> {
  const url = await saveResult(details, { ...extra, login }, true);
  const held = details.session;
  if (held?.accountId && held.accountId !== login.accountId && held.cookie) {
    const session = await providerOf(request).Session.find(held.cookie);
    if (session) {
      session.accountId = undefined;
      session.authorizations = undefined;
      session.loginTs = undefined;
      await session.persist();
    }
  }
  return reply.header('cache-control', 'no-store').redirect(url, 303);
}
