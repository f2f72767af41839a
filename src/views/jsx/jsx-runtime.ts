/**
 * A tiny server-side JSX runtime: JSX compiles to calls here and produces escaped HTML strings.
 * Every string child and attribute value is escaped; only `SafeHtml` (made by elements or by
 * `raw()`, which is for trusted constants such as the stylesheet) passes through as markup.
 */
export class SafeHtml {
  /**
   * The markup: one string, or for a long page its pieces in order (see `PIECE_CHARS`). Never
   * build one from a string that is not markup: `raw()` says so at the call site.
   */
  constructor(readonly pieces: string | readonly string[]) {}
  get html(): string {
    const p = this.pieces;
    return typeof p === 'string' ? p : p.join('');
  }
  toString(): string {
    return this.html;
  }
}

export type Child = SafeHtml | string | number | boolean | null | undefined | Child[];
type Props = Record<string, unknown> & { children?: Child };
// biome-ignore lint/suspicious/noExplicitAny: components declare their own prop types; JSX checks them at the call site.
type Component = (props: any) => SafeHtml;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const NEEDS_ESCAPE = /[&<>"']/;

export function escapeHtml(value: string): string {
  // Most text has nothing to escape: a test is cheaper than a replace with a callback.
  return NEEDS_ESCAPE.test(value) ? value.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : value;
}

export function raw(html: string): SafeHtml {
  return new SafeHtml(html);
}

/**
 * Children are joined with `+`, not pushed to an array and joined: V8 keeps `+` results as ropes and
 * flattens once when the response is written, while `Array#join` copied every subtree again at each
 * level, which dominated a page of 200 cards with non-Latin-1 text.
 *
 * A rope is cut into pieces of about this many characters, and a page is written piece by piece:
 * a flat string of more than 128 KB (64 k characters of Korean or other two-byte text) goes to V8's
 * large-object space, and making one cost about 0.55 ms against 0.02 ms below the limit, a fifth of
 * the connected-services page with 200 apps. Two pieces joined stay below it.
 */
const PIECE_CHARS = 16_384;

/** Markup being put together: the current rope and the pieces already cut off. */
interface Output {
  s: string;
  cut: string[] | undefined;
}

function put(out: Output, s: string): void {
  out.s += s;
  if (out.s.length > PIECE_CHARS) {
    if (out.cut) out.cut.push(out.s);
    else out.cut = [out.s];
    out.s = '';
  }
}

function putChild(out: Output, child: Child): void {
  if (child === null || child === undefined || child === false || child === true) return;
  if (child instanceof SafeHtml) {
    const p = child.pieces;
    if (typeof p === 'string') put(out, p);
    else for (const piece of p) put(out, piece);
    return;
  }
  if (Array.isArray(child)) {
    for (const c of child) putChild(out, c);
    return;
  }
  put(out, escapeHtml(String(child)));
}

function finish(out: Output): SafeHtml {
  if (!out.cut) return new SafeHtml(out.s);
  if (out.s) out.cut.push(out.s);
  return new SafeHtml(out.cut);
}

/** `open`, the children and `close` as one SafeHtml (one string unless the children are long). */
function wrap(open: string, children: Child, close: string): SafeHtml {
  if (typeof children === 'string') return new SafeHtml(`${open}${escapeHtml(children)}${close}`);
  if (children instanceof SafeHtml && typeof children.pieces === 'string') {
    return new SafeHtml(`${open}${children.pieces}${close}`);
  }
  const out: Output = { s: open, cut: undefined };
  putChild(out, children);
  put(out, close);
  return finish(out);
}

function renderAttributes(props: Props): string {
  let s = '';
  for (const key in props) {
    const value = props[key];
    if (key === 'children' || value === undefined || value === null || value === false) continue;
    const name = key === 'className' ? 'class' : key === 'htmlFor' ? 'for' : key;
    s += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return s;
}

export function jsx(tag: string | Component, props: Props): SafeHtml {
  if (typeof tag === 'function') return tag(props);
  const open = `<${tag}${renderAttributes(props)}>`;
  if (VOID.has(tag)) return new SafeHtml(open);
  return wrap(open, props.children, `</${tag}>`);
}

export const jsxs = jsx;
export const jsxDEV = jsx;

export function Fragment(props: { children?: Child }): SafeHtml {
  return wrap('', props.children, '');
}

const DOCTYPE = '<!doctype html>\n';

/** The whole document as one string (error pages written by oidc-provider's Koa context). */
export function renderDocument(body: SafeHtml): string {
  return `${DOCTYPE}${body.html}`;
}

/**
 * The whole document as the response body: a string when it is one piece, otherwise the pieces
 * encoded one by one into one buffer, so no string of the whole page is ever made (`PIECE_CHARS`).
 */
export function documentBody(body: SafeHtml): string | Buffer {
  const p = body.pieces;
  if (typeof p === 'string') return `${DOCTYPE}${p}`;
  const buffers = [Buffer.from(DOCTYPE)];
  for (const piece of p) buffers.push(Buffer.from(piece));
  return Buffer.concat(buffers);
}

export declare namespace JSX {
  type Element = SafeHtml;
  interface ElementChildrenAttribute {
    children: unknown;
  }
  interface IntrinsicElements {
    [tag: string]: Record<string, unknown> & { children?: Child };
  }
}
