/**
 * The mail template registry: `renderMail(kind, locale, params, ctx)` → subject, plain text and
 * HTML, in the person's language, with the platform's name.
 *
 * A template returns structured content (`MailContent`), never markup: the one layout here turns
 * it into both parts, so every parameter is HTML-escaped in one place (OWASP ASVS V5.3.1:
 * output encoding for the context) and no template can forget it. The layout adds nothing that
 * reports back: no tracking pixel, no remote image, no rewritten link; an action link is the URL
 * the template gave, unchanged (it must be http(s)).
 *
 * Template maps live in `templates/*.ts` and are merged below; a kind defined twice is a boot-time
 * error rather than one silently replacing the other.
 */
import { type Locale, type Translate, translator } from '../../i18n/index.ts';
import { invitationTemplates } from './templates/invitation.ts';
import { recoveryTemplates } from './templates/recovery.ts';
import { smtpCheckTemplates } from './templates/smtp-check.ts';

export interface MailContext {
  /** config `platformName` (YEON_PLATFORM_NAME) */
  platformName: string;
  /** config `issuer`, the platform's public base URL */
  issuer: string;
}

export interface MailContent {
  subject: string;
  /** the first line of the body, e.g. what this mail is about */
  heading: string;
  paragraphs: string[];
  /** one link the reader can follow: a button in HTML, the bare URL on its own line in text */
  action?: { label: string; url: string };
  /** small print under the action, e.g. "If you did not ask for this, ignore this mail." */
  footnote?: string;
}

export interface TemplateInput {
  locale: Locale;
  /** `t(key, vars)` in the mail's language (src/i18n/messages/*.ts) */
  t: Translate;
  params: Readonly<Record<string, string>>;
  ctx: MailContext;
}

/** One kind of mail. `params` lists the parameters it needs; a missing one fails at enqueue. */
export interface MailTemplate {
  params: readonly string[];
  render(input: TemplateInput): MailContent;
}

export type MailTemplates = Record<string, MailTemplate>;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function mergeTemplates(...maps: MailTemplates[]): ReadonlyMap<string, MailTemplate> {
  const all = new Map<string, MailTemplate>();
  for (const map of maps)
    for (const [kind, template] of Object.entries(map)) {
      if (all.has(kind)) throw new Error(`mail template "${kind}" is defined twice`);
      all.set(kind, template);
    }
  return all;
}

const registry = mergeTemplates(smtpCheckTemplates, recoveryTemplates, invitationTemplates);

/**
 * Checks that `kind` exists and that `params` has every parameter it needs.
 * @throws Error (a programming error, raised inside the caller's transaction so nothing commits)
 */
export function assertRenderable(kind: string, params: Readonly<Record<string, string>>): void {
  const template = registry.get(kind);
  if (!template) throw new Error(`unknown mail kind "${kind}"`);
  const missing = template.params.filter((p) => typeof params[p] !== 'string');
  if (missing.length) throw new Error(`mail "${kind}" needs ${missing.join(', ')}`);
}

export function mailKinds(): string[] {
  return [...registry.keys()];
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function assertHttpUrl(url: string): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error('a mail action link must be http(s)');
}

function toText(c: MailContent, footer: string): string {
  const blocks = [c.heading, ...c.paragraphs];
  if (c.action) blocks.push(`${c.action.label}:\n${c.action.url}`);
  if (c.footnote) blocks.push(c.footnote);
  blocks.push(`-- \n${footer}`);
  return `${blocks.join('\n\n')}\n`;
}

// Inline styles only: mail clients drop <style> blocks and never load remote CSS.
function toHtml(c: MailContent, locale: Locale, footer: string, platformName: string): string {
  const p = (text: string, style = 'margin:0 0 16px') =>
    `<p style="${style}">${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
  const action = c.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(c.action.url)}" style="display:inline-block;padding:12px 20px;background:#1f2937;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(c.action.label)}</a></p>` +
      p(c.action.url, 'margin:0 0 16px;font-size:13px;color:#4b5563;word-break:break-all')
    : '';
  return [
    '<!doctype html>',
    `<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(c.subject)}</title></head>`,
    "<body style=\"margin:0;padding:24px;background:#f3f4f6;font-family:-apple-system,'Segoe UI','Apple SD Gothic Neo','Malgun Gothic',sans-serif;color:#111827;word-break:keep-all\">",
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:32px;border-radius:8px">',
    `<p style="margin:0 0 24px;font-weight:700">${escapeHtml(platformName)}</p>`,
    `<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(c.heading)}</h1>`,
    ...c.paragraphs.map((text) => p(text)),
    action,
    c.footnote ? p(c.footnote, 'margin:0 0 16px;font-size:13px;color:#4b5563') : '',
    `<hr style="border:0;border-top:1px solid #e5e7eb;margin:24px 0">`,
    p(footer, 'margin:0;font-size:12px;color:#6b7280'),
    '</div></body></html>',
  ].join('\n');
}

/** @throws Error for an unknown kind, a missing parameter or a non-http(s) action link */
export function renderMail(
  kind: string,
  locale: Locale,
  params: Readonly<Record<string, string>>,
  ctx: MailContext,
): RenderedMail {
  assertRenderable(kind, params);
  const t = translator(locale);
  const content = registry.get(kind)!.render({ locale, t, params, ctx });
  if (content.action) assertHttpUrl(content.action.url);
  const footer = t('mail.footer', { platform: ctx.platformName, issuer: ctx.issuer });
  // A subject is one header line: a line break in it would end the header early.
  const subject = content.subject.replace(/[\r\n]+/g, ' ');
  return {
    subject,
    text: toText(content, footer),
    html: toHtml({ ...content, subject }, locale, footer, ctx.platformName),
  };
}
