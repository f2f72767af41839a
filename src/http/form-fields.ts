/**
 * Reading HTML form bodies (`application/x-www-form-urlencoded`, parsed by @fastify/formbody), the
 * one copy every page route uses. A field the browser did not send, or sent in an unexpected shape,
 * reads as empty: validation is the services' job.
 */

type Form = Record<string, unknown>;

/** One text field; a repeated or missing field reads as ''. */
export function field(body: unknown, name: string): string {
  const v = (body as Form | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

/** A field sent zero or more times (checkbox groups): every string value, in order. */
export function fields(body: unknown, name: string): string[] {
  const v = (body as Form | undefined)?.[name];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}
