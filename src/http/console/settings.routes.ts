/**
 * Login, consent-item and platform settings pages: GET shows the saved values;
 * POST parses the form, makes one service call, and either redirects with a notice or shows the
 * same form again with what was typed and the issues (nothing saved).
 */
import type { FastifyPluginAsync } from 'fastify';
import { CONSENT_ITEMS } from '../../modules/apps/apps.types.ts';
import { ConsentPage, type ConsentValues } from '../../views/pages/console/consent-page.tsx';
import { LoginSettingsPage, type LoginValues } from '../../views/pages/console/login-page.tsx';
import {
  PLATFORM_FIELDS,
  PlatformsPage,
  type PlatformsValues,
} from '../../views/pages/console/platforms-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, lines, loadApp, noticeOf, saveOrRerender } from './console-helpers.ts';

function readLogin(body: unknown): LoginValues {
  return {
    kakao_login_enabled: field(body, 'kakao_login_enabled'),
    oidc_enabled: field(body, 'oidc_enabled'),
    redirect_uris: field(body, 'redirect_uris'),
    logout_redirect_uris: field(body, 'logout_redirect_uris'),
    javascript_origins: field(body, 'javascript_origins'),
    require_pkce: field(body, 'require_pkce'),
    strict_oauth: field(body, 'strict_oauth'),
  };
}

function readConsent(body: unknown): ConsentValues {
  const out = {} as ConsentValues;
  for (const item of CONSENT_ITEMS) {
    const base = `consent_items.${item}`;
    out[item] = {
      mode: field(body, base),
      purpose_ko: field(body, `${base}.purpose_ko`),
      purpose_en: field(body, `${base}.purpose_en`),
    };
  }
  return out;
}

function readPlatforms(body: unknown): PlatformsValues {
  const out = {} as PlatformsValues;
  for (const name of PLATFORM_FIELDS) out[name] = field(body, name);
  return out;
}

export const settingsRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;

  app.get('/developers/apps/:appId/login', async (request, reply) => {
    const detail = await loadApp(request, appIdOf(request));
    return reply.page(
      LoginSettingsPage({ ctx: viewContext(request), app: detail, notice: noticeOf(request) }),
    );
  });

  app.post('/developers/apps/:appId/login', async (request, reply) => {
    const appId = appIdOf(request);
    const values = readLogin(request.body);
    return saveOrRerender(request, reply, {
      appId,
      section: 'login',
      save: () =>
        apps.updateLoginSettings(actorOf(request), appId, {
          // A switch that was not sent keeps no implicit default: only "on" turns it on.
          kakao_login_enabled: values.kakao_login_enabled === 'on',
          oidc_enabled: values.oidc_enabled === 'on',
          redirect_uris: lines(values.redirect_uris),
          logout_redirect_uris: lines(values.logout_redirect_uris),
          javascript_origins: lines(values.javascript_origins),
          // Checkboxes: a browser sends nothing for an unchecked box, so absence means off.
          require_pkce: values.require_pkce === 'on',
          strict_oauth: values.strict_oauth === 'on',
        }),
      page: (ctx, detail, issues) => LoginSettingsPage({ ctx, app: detail, values, issues }),
    });
  });

  app.get('/developers/apps/:appId/consent', async (request, reply) => {
    const detail = await loadApp(request, appIdOf(request));
    return reply.page(ConsentPage({ ctx: viewContext(request), app: detail, notice: noticeOf(request) }));
  });

  app.post('/developers/apps/:appId/consent', async (request, reply) => {
    const appId = appIdOf(request);
    const values = readConsent(request.body);
    return saveOrRerender(request, reply, {
      appId,
      section: 'consent',
      save: () =>
        apps.updateConsentItems(
          actorOf(request),
          appId,
          CONSENT_ITEMS.map((item) => ({ item, ...values[item] })),
        ),
      page: (ctx, detail, issues) => ConsentPage({ ctx, app: detail, values, issues }),
    });
  });

  app.get('/developers/apps/:appId/platforms', async (request, reply) => {
    const detail = await loadApp(request, appIdOf(request));
    return reply.page(PlatformsPage({ ctx: viewContext(request), app: detail, notice: noticeOf(request) }));
  });

  app.post('/developers/apps/:appId/platforms', async (request, reply) => {
    const appId = appIdOf(request);
    const values = readPlatforms(request.body);
    return saveOrRerender(request, reply, {
      appId,
      section: 'platforms',
      save: () =>
        apps.updatePlatforms(actorOf(request), appId, {
          site_urls: lines(values.site_urls),
          android: { package_name: values['android.package_name'], market_url: values['android.market_url'] },
          ios: { bundle_id: values['ios.bundle_id'], app_store_url: values['ios.app_store_url'] },
        }),
      page: (ctx, detail, issues) => PlatformsPage({ ctx, app: detail, values, issues }),
    });
  });
};
