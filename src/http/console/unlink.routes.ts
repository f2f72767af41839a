/**
 * The unlink page (Kakao "Unlink webhook"): callback settings, signing-secret
 * rotation, published source IPs and "Send test notification".
 *
 * The test result survives the POST → redirect → GET in a short-lived *signed* cookie scoped to
 * this app's unlink page (read once, then cleared): refreshing the page does not send another
 * request, and a crafted link cannot show a fake result.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hasMessage } from '../../i18n/index.ts';
import type { TestNotificationResult } from '../../modules/apps/apps.types.ts';
import { appPath } from '../../views/pages/console/console-shell.tsx';
import {
  type TestResultView,
  UnlinkPage,
  type UnlinkValues,
} from '../../views/pages/console/unlink-page.tsx';
import { viewContext } from '../../views/view-context.ts';
import { field } from '../form-fields.ts';
import { actorOf, appIdOf, loadApp, noticeOf, redirectTo, saveOrRerender } from './console-helpers.ts';

const RESULT_COOKIE = 'yeon_console_test';
const EXCERPT_MAX = 300;

/** The service's result; `response_excerpt` is optional there (older notifiers do not send it). */
type RawTestResult = TestNotificationResult & { response_excerpt?: string };

/** Stored in the flash cookie: the error still untranslated, so the page shows it in its language. */
interface StoredResult {
  appId: number;
  ok: boolean;
  status?: number;
  latencyMs?: number;
  error?: string;
  errorParams?: Record<string, string | number>;
  excerpt?: string;
}

function toStored(appId: number, r: RawTestResult): StoredResult {
  const excerpt = r.response_excerpt;
  const latency = r.duration_ms;
  return {
    appId,
    ok: r.ok,
    status: r.status,
    latencyMs: latency === undefined ? undefined : Math.round(latency),
    error: r.error,
    errorParams: r.error_params,
    excerpt: excerpt ? excerpt.slice(0, EXCERPT_MAX) : undefined,
  };
}

function toView(request: FastifyRequest, s: StoredResult): TestResultView {
  let error = s.error;
  // An i18n key (e.g. a refused destination), a delivery error code, or a short English reason.
  if (error && hasMessage(error)) error = request.t(error, s.errorParams);
  else if (error && hasMessage(`console.unlink.error.${error}`))
    error = request.t(`console.unlink.error.${error}`);
  return { ok: s.ok, status: s.status, latencyMs: s.latencyMs, error, excerpt: s.excerpt };
}

function readResult(request: FastifyRequest, reply: FastifyReply, appId: number): TestResultView | undefined {
  const raw = request.cookies[RESULT_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(RESULT_COOKIE, { path: appPath(appId, 'unlink') });
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const stored = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as StoredResult;
    return stored.appId === appId ? toView(request, stored) : undefined;
  } catch {
    return undefined;
  }
}

function readUnlink(body: unknown): UnlinkValues {
  return {
    callback_url: field(body, 'callback_url'),
    method: field(body, 'method'),
    state: field(body, 'state'),
    format: field(body, 'format'),
  };
}

export const unlinkRoutes: FastifyPluginAsync = async (app) => {
  const { apps } = app.services;
  const sourceIps = app.config.egressIps;

  app.get('/developers/apps/:appId/unlink', async (request, reply) => {
    const appId = appIdOf(request);
    const detail = await loadApp(request, appId);
    const testResult = readResult(request, reply, appId);
    const ctx = viewContext(request);
    return reply.page(UnlinkPage({ ctx, app: detail, notice: noticeOf(request), sourceIps, testResult }));
  });

  app.post('/developers/apps/:appId/unlink', async (request, reply) => {
    const appId = appIdOf(request);
    const values = readUnlink(request.body);
    return saveOrRerender(request, reply, {
      appId,
      section: 'unlink',
      save: () =>
        apps.updateUnlinkSettings(actorOf(request), appId, {
          ...values,
          callback_url: values.callback_url || null,
        }),
      page: (ctx, detail, issues) => UnlinkPage({ ctx, app: detail, values, issues, sourceIps }),
    });
  });

  app.post('/developers/apps/:appId/unlink/rotate-secret', async (request, reply) => {
    const appId = appIdOf(request);
    await apps.rotateWebhookSecret(actorOf(request), appId);
    return redirectTo(reply, appId, 'unlink', 'webhook_rotated', 'signing');
  });

  app.post('/developers/apps/:appId/unlink/test', async (request, reply) => {
    const appId = appIdOf(request);
    return saveOrRerender(request, reply, {
      appId,
      section: 'unlink',
      save: async () => {
        const result: RawTestResult = await apps.sendTestNotification(actorOf(request), appId);
        const value = Buffer.from(JSON.stringify(toStored(appId, result))).toString('base64url');
        reply.setCookie(RESULT_COOKIE, value, {
          path: appPath(appId, 'unlink'),
          httpOnly: true,
          sameSite: 'lax',
          secure: app.config.secureCookies,
          signed: true,
          maxAge: 300,
        });
      },
      page: (ctx, detail, issues, message) => UnlinkPage({ ctx, app: detail, issues, message, sourceIps }),
      done: 'tested',
      hash: 'test',
    });
  });
};
