/**
 * Deletion receipts (a 2xx means "received", not "deleted"; the pattern of
 * Meta's Data Deletion Request Callback): an app proves it acted by answering the callback with
 * JSON `{"confirmation_code": …, "status_url": …}`, or by POSTing the same later. The person's
 * "Previously connected" list shows the code and links the status URL, so both are checked here:
 * a short printable code, and an http(s) URL only (never `javascript:` or `data:`).
 */
import type { FieldIssue } from '../../errors/catalogue.ts';

export interface DeletionReceipt {
  code: string;
  statusUrl: string | null;
}

export const RECEIPT_LIMITS = { codeMax: 200, urlMax: 2048 } as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkCode(value: unknown): FieldIssue | undefined {
  if (typeof value !== 'string' || value.trim() === '')
    return { field: 'confirmation_code', message: 'validation.required' };
  if (value.length > RECEIPT_LIMITS.codeMax || CONTROL.test(value))
    return { field: 'confirmation_code', message: 'notifications.receipt.code_invalid' };
  return undefined;
}

function checkUrl(value: unknown): FieldIssue | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' && value.length <= RECEIPT_LIMITS.urlMax ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password)
    return { field: 'status_url', message: 'notifications.receipt.url_invalid' };
  return undefined;
}

/** Validates a receipt from the app; issues name `confirmation_code` / `status_url`. */
export function parseReceiptInput(input: { confirmation_code?: unknown; status_url?: unknown }): {
  value?: DeletionReceipt;
  issues: FieldIssue[];
} {
  const issues = [checkCode(input.confirmation_code), checkUrl(input.status_url)].filter(
    (i): i is FieldIssue => i !== undefined,
  );
  if (issues.length) return { issues };
  const url = input.status_url;
  return {
    value: {
      code: (input.confirmation_code as string).trim(),
      statusUrl: typeof url === 'string' && url !== '' ? new URL(url).href : null,
    },
    issues,
  };
}

/**
 * A receipt in a callback's 2xx answer, or undefined. Anything else in the body (Kakao receivers
 * answer "OK" or nothing) is simply not a receipt: the delivery still counts as delivered.
 */
export function receiptFromResponse(body: string | undefined): DeletionReceipt | undefined {
  const text = body?.trim();
  if (!text?.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  return parseReceiptInput(parsed as Record<string, unknown>).value;
}
