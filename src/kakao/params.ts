/**
 * Kakao's request parameters (Kakao REST API reference): the same names in the query string or in a
 * form body (many callers put `target_id` in the query of a POST), and array parameters as JSON
 * array strings inside those values: `property_keys=["kakao_account.email"]`.
 * Anything malformed is Kakao's -2 (400). Pure: no Fastify, no I/O.
 */
import { kakaoErrors } from './kakao-errors.ts';

export type Params = Record<string, string>;

function flatten(source: unknown, into: Params): void {
  if (!source || typeof source !== 'object') return;
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    // A repeated parameter keeps its first value; JSON bodies may carry non-string scalars.
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') into[key] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') into[key] = String(first);
    else if (first !== undefined && first !== null) into[key] = JSON.stringify(first);
  }
}

/** Query, then body: a body value wins over the same name in the query. */
export function mergeParams(query: unknown, body: unknown): Params {
  const out: Params = {};
  flatten(query, out);
  flatten(body, out);
  return out;
}

/** A parameter holding a JSON array, with its raw text for messages; absent → undefined; else -2. */
function jsonArrayParam(params: Params, name: string): { raw: string; items: unknown[] } | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw kakaoErrors.badParameter(`${name} must be a JSON array. ${raw}`);
  }
  if (!Array.isArray(parsed)) throw kakaoErrors.badParameter(`${name} must be a JSON array. ${raw}`);
  return { raw, items: parsed };
}

/** `["a","b"]` → ['a','b']; absent → undefined; anything else → -2. */
export function stringArrayParam(params: Params, name: string): string[] | undefined {
  const array = jsonArrayParam(params, name);
  if (!array) return undefined;
  if (!array.items.every((v) => typeof v === 'string'))
    throw kakaoErrors.badParameter(`${name} must be a JSON array of strings. ${array.raw}`);
  return array.items as string[];
}

/** An app user id: a positive safe integer, as a JSON number or its decimal string. */
export function parseUserId(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** `target_ids=[1,2]` (numbers or numeric strings) → ids; anything else → -2. */
export function userIdArrayParam(params: Params, name: string): number[] | undefined {
  const array = jsonArrayParam(params, name);
  if (!array) return undefined;
  const ids = array.items.map(parseUserId);
  if (ids.some((id) => id === undefined))
    throw kakaoErrors.badParameter(`${name} has an invalid user id. ${array.raw}`);
  return ids as number[];
}

/** An optional integer in [min, max]; absent → fallback; out of range or not a number → -2. */
export function intParam(params: Params, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d{1,16}$/.test(raw)) throw kakaoErrors.badParameter(`${name} must be an integer. ${raw}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw kakaoErrors.badParameter(`${name} must be between ${min} and ${max}. ${raw}`);
  return n;
}

/** `true`/`false` (case-insensitive); absent → undefined; anything else → -2. */
export function booleanParam(params: Params, name: string): boolean | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw kakaoErrors.badParameter(`${name} must be true or false. ${raw}`);
}
