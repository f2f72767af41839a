/**
 * Small steps every console route shares: who is acting, which app the URL names, textarea
 * lines, the "saved" notices carried across the POST → redirect → GET, and the one way a failed
 * validation is answered (re-render with the typed values, status 400, nothing saved).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '#jsx/jsx-runtime';
import { AppError, type FieldIssue, isAppError } from '../../errors/catalogue.ts';
import type { Actor, AppDetail } from '../../modules/apps/apps.types.ts';
import { appPath, type ConsoleSection } from '../../views/pages/console/console-shell.tsx';
import { type ViewContext, viewContext } from '../../views/view-context.ts';

export function actorOf(request: FastifyRequest): Actor {
  // requireAccount runs first on every console route, so an account is always present here.
  return { accountId: request.account!.id };
}

/** The `:appId` of the URL; anything that is not a safe positive integer is simply not found. */
export function appIdOf(request: FastifyRequest): number {
  const raw = (request.params as { appId?: string }).appId ?? '';
  const id = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found');
  return id;
}

/** One entry per line, as typed in a textarea (trimming and limits are the service's job). */
export function lines(value: string): string[] {
  return value.split(/\r?\n/);
}

/**
 * Notices a redirect may name (`?done=<code>`); only these codes are shown, so a crafted link
 * cannot put arbitrary text on the page.
 */
const NOTICES = {
  saved: 'console.saved',
  created: 'console.apps.created',
  deleted: 'console.apps.deleted',
  deleted_notifying: 'console.apps.deleted_notifying',
  admin_rotated: 'console.admin.rotated',
  admin_revoked: 'console.admin.revoked',
  key_rotated: 'console.rotation.rotated',
  key_stopped: 'console.rotation.stopped',
  secret_regenerated: 'console.secret.regenerated',
  icon_updated: 'console.icon.updated',
  icon_removed: 'console.icon.removed',
  member_added: 'console.members.added',
  member_removed: 'console.members.removed',
  webhook_rotated: 'console.unlink.rotated',
  tested: 'console.unlink.tested',
} as const;
export type NoticeCode = keyof typeof NOTICES;

export function noticeOf(request: FastifyRequest): string | undefined {
  const { done: code, n } = request.query as Record<string, string | undefined>;
  // a count a notice may show: digits only, so a link still cannot put text on the page
  const count = n && /^\d{1,9}$/.test(n) ? n : '0';
  return code && Object.hasOwn(NOTICES, code) ? request.t(NOTICES[code as NoticeCode], { count }) : undefined;
}

export function redirectTo(
  reply: FastifyReply,
  appId: number,
  section: ConsoleSection,
  done: NoticeCode,
  hash = '',
): FastifyReply {
  return reply.redirect(`${appPath(appId, section)}?done=${done}${hash ? `#${hash}` : ''}`, 303);
}

/** The app as the acting account may see it. @throws AppError('not_found') for non-members. */
export function loadApp(request: FastifyRequest, appId: number): Promise<AppDetail> {
  return request.server.services.apps.getAppDetail(actorOf(request), appId);
}

/**
 * Runs one change and redirects to the section with a notice. When the service refuses the input
 * (`validation_failed`, or another 4xx about the input such as `app_last_owner`) the page is
 * rendered again with the issues and with what was typed, and nothing is saved. Not-found and
 * forbidden propagate to the error page (404 / 403).
 */
export async function saveOrRerender(
  request: FastifyRequest,
  reply: FastifyReply,
  step: {
    appId: number;
    section: ConsoleSection;
    save: () => Promise<unknown>;
    page: (ctx: ViewContext, app: AppDetail, issues: FieldIssue[], message?: string) => SafeHtml;
    done?: NoticeCode;
    /** where the page should scroll to after the redirect */
    hash?: string;
    /** go elsewhere than the section after saving (e.g. the app list after leaving an app) */
    location?: string;
  },
): Promise<FastifyReply> {
  try {
    await step.save();
  } catch (err) {
    if (!isAppError(err) || !isInputError(err)) throw err;
    const app = await loadApp(request, step.appId);
    const message = err.code === 'validation_failed' ? undefined : request.t(err.messageKey, err.params);
    return reply.page(step.page(viewContext(request), app, err.issues, message), err.status);
  }
  if (step.location) return reply.redirect(step.location, 303);
  return redirectTo(reply, step.appId, step.section, step.done ?? 'saved', step.hash);
}

/** Errors about what was typed, shown on the form; access errors are not among them. */
function isInputError(err: AppError): boolean {
  return err.status < 500 && ![401, 403, 404].includes(err.status);
}
