/**
 * yeon's login, account choice and consent pages for oidc-provider (docs/decisions/0002
 * "Interactions"), at `/oauth/interaction/:uid`, in the pages scope (form bodies, CSRF, our CSP,
 * `cache-control: no-store`). Each GET shows the step oidc-provider asks for; each POST finishes it.
 * - create: sign up (then back here); select_account: "continue as X" or another account;
 * - login: the yeon session is used when there is one, unless `prompt=login`/`max_age` asks for the
 *   password again; login goes through `accounts.authenticate` (throttle and all) and starts a session;
 * - consent: `connections.agree` (links at the first consent), then the Grant mirrors the live
 *   consents (existing-grant.ts). Cancel → `access_denied` back to the app.
 * prompt=none never reaches these pages: oidc-provider answers login_required/consent_required.
 */
import fs from 'node:fs';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../errors/catalogue.ts';
import { formatDateIn } from '../../i18n/dates.ts';
import type { ConsentRequest, ConsentScreen } from '../../modules/connections/consent.service.ts';
import { DEFAULT_SCOPE_PARAM } from '../../oidc/interaction-policy.ts';
import { ConsentPage } from '../../views/pages/interaction/consent-page.tsx';
import {
  type InteractionApp,
  InteractionLoginPage,
  SelectAccountPage,
} from '../../views/pages/interaction/login-pages.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field, fields } from '../form-fields.ts';
import {
  appOf,
  finish,
  finishLogin,
  type Interaction,
  loadInteraction,
  saveConsentGrant,
} from './interaction-flow.ts';

const agreeAllScript = fs.readFileSync(new URL('../../views/assets/consent-all.js', import.meta.url), 'utf8');

/** Kakao's cancel answer (Kakao REST API "Get authorization code"). */
const ACCESS_DENIED = { error: 'access_denied', error_description: 'User denied access' };

export const interactionRoutes: FastifyPluginAsync = async (app) => {
  const rememberDays = Math.round(app.config.sessionRememberMs / 86_400_000);
  const noStore = { 'cache-control': 'no-store' };

  /** The password must be typed again: prompt=login, or max_age older than the session. */
  const forcesPassword = (d: Interaction) =>
    d.prompt.name === 'login' &&
    (d.prompt.reasons.includes('login_prompt') || d.prompt.reasons.includes('max_age'));

  async function loginPage(
    request: FastifyRequest,
    d: Interaction,
    extra: { email?: string; message?: string } = {},
  ) {
    const appInfo = await appOf(request, d);
    const back = `/oauth/interaction/${d.uid}`;
    const hint = typeof d.params.login_hint === 'string' ? d.params.login_hint : undefined;
    return InteractionLoginPage({
      ctx: viewContext(request),
      uid: d.uid,
      app: appInfo,
      email: extra.email ?? hint ?? (forcesPassword(d) ? request.account?.email : undefined),
      message: extra.message,
      again: forcesPassword(d) && !!request.account,
      rememberDays,
      signupHref: `/signup?next=${encodeURIComponent(back)}`,
    });
  }

  /** The consent step of this interaction for its app, as the consent service takes it. */
  const consentRequest = (d: Interaction, appId: number): ConsentRequest => ({
    accountId: d.session!.accountId,
    appId,
    scope: d.params.scope as string | undefined,
    implicit: d.params[DEFAULT_SCOPE_PARAM] === '1',
  });

  function renderConsent(
    request: FastifyRequest,
    d: Interaction,
    appInfo: InteractionApp,
    { state, plan, lastUnlink }: ConsentScreen,
    message?: string,
  ) {
    const purpose = (item: string) => {
      const row = state.items.find((i) => i.item === item);
      return (request.locale === 'ko' ? row?.purpose_ko : row?.purpose_en) ?? null;
    };
    const ctx = viewContext(request);
    const disconnectedOn =
      lastUnlink?.unlinkedBy === 'disconnect' ? formatDateIn(ctx, 'date', lastUnlink.unlinkedAt) : undefined;
    return ConsentPage({
      ctx,
      uid: d.uid,
      app: appInfo,
      linked: plan.linked,
      required: plan.required.map((item) => ({ item, purpose: purpose(item) })),
      optional: plan.optional.map((item) => ({ item, purpose: purpose(item) })),
      disconnectedOn,
      message,
    });
  }

  app.get('/oauth/interaction/:uid', async (request, reply) => {
    const d = await loadInteraction(request, reply);
    const account = request.account;
    const query = request.query as Record<string, string | undefined>;
    switch (d.prompt.name) {
      case 'create': {
        // Sign up first (Kakao prompt=create); a session started after this request began means
        // the person has just signed up or logged in from the sign-up page.
        if (account && request.session && request.session.created_at >= d.iat * 1000) {
          return finishLogin(request, reply, d, { accountId: account.id, remember: false }, { create: {} });
        }
        return reply
          .headers(noStore)
          .redirect(`/signup?next=${encodeURIComponent(`/oauth/interaction/${d.uid}`)}`, 303);
      }
      case 'select_account':
        if (account && query.another !== '1') {
          const appInfo = await appOf(request, d);
          return reply.page(
            SelectAccountPage({
              ctx: viewContext(request),
              uid: d.uid,
              app: appInfo,
              nickname: account.nickname,
              email: account.email,
            }),
          );
        }
        return reply.page(await loginPage(request, d));
      case 'login':
        if (account && !forcesPassword(d)) {
          return finishLogin(request, reply, d, {
            accountId: account.id,
            remember: request.session?.remember === 1,
            ts: Math.floor((request.session?.created_at ?? Date.now()) / 1000),
          });
        }
        return reply.page(await loginPage(request, d));
      case 'consent': {
        const appInfo = await appOf(request, d);
        const screen = await app.services.consent.screen(consentRequest(d, appInfo.id));
        return reply.page(renderConsent(request, d, appInfo, screen));
      }
      default:
        throw new AppError('interaction_expired');
    }
  });

  app.post('/oauth/interaction/:uid/login', async (request, reply) => {
    const d = await loadInteraction(request, reply);
    if (!['login', 'select_account', 'create'].includes(d.prompt.name))
      throw new AppError('interaction_expired');
    const email = field(request.body, 'email');
    try {
      const account = await app.services.accounts.authenticate({
        email,
        password: field(request.body, 'password'),
        ip: request.ip,
        trustedDevice: await request.isTrustedDevice(email),
      });
      const remember = field(request.body, 'remember') === '1';
      await reply.startSession(account, remember);
      reply.rotateCsrf();
      request.log.info({ account_id: account.id }, 'login (oauth interaction)');
      // A login answers an account choice and a sign-up request too (the person chose to log in).
      const extra = d.prompt.name === 'login' ? {} : { [d.prompt.name]: {} };
      return finishLogin(request, reply, d, { accountId: account.id, remember }, extra);
    } catch (err) {
      if (!isAppError(err) || (err.code !== 'invalid_credentials' && err.code !== 'login_throttled'))
        throw err;
      const page = await loginPage(request, d, { email, message: request.t(err.messageKey, err.params) });
      return reply.page(page, err.status);
    }
  });

  app.post('/oauth/interaction/:uid/select', async (request, reply) => {
    const d = await loadInteraction(request, reply);
    const account = request.account;
    if (d.prompt.name !== 'select_account' || !account) throw new AppError('interaction_expired');
    return finishLogin(
      request,
      reply,
      d,
      { accountId: account.id, remember: request.session?.remember === 1 },
      { select_account: {} },
    );
  });

  app.post('/oauth/interaction/:uid/consent', async (request, reply) => {
    const d = await loadInteraction(request, reply);
    if (d.prompt.name !== 'consent' || !d.session?.accountId) throw new AppError('interaction_expired');
    const action = field(request.body, 'action');
    if (action === 'cancel') return finish(reply, d, ACCESS_DENIED, false);

    const appInfo = await appOf(request, d);
    const answer = await app.services.consent.give({
      ...consentRequest(d, appInfo.id),
      all: action === 'agree_all',
      posted: fields(request.body, 'item'),
    });
    if (!answer.given) {
      const message = request.t('interaction.consent.required_missing', { app: appInfo.name });
      return reply.page(renderConsent(request, d, appInfo, answer.screen, message), 400);
    }
    const grant = { accountId: d.session.accountId, appId: appInfo.id, agreed: answer.agreed };
    return finish(reply, d, { consent: { grantId: await saveConsentGrant(request, d, grant) } });
  });

  app.get('/assets/consent-all.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(agreeAllScript),
  );

  // App icons are public: consent and connected-services pages show them.
  app.get('/apps/:appId/icon', async (request, reply) => {
    const appId = Number((request.params as { appId: string }).appId);
    const icon = await app.services.apps.getIcon(appId);
    if (!icon) throw new AppError('not_found');
    return reply
      .header('content-type', icon.content_type)
      .header('cache-control', 'public, max-age=300')
      .header('content-disposition', 'inline')
      .send(icon.bytes);
  });
};
