/**
 * A tiny server-side JSX runtime: JSX compiles to calls here and produces escaped HTML strings.
 * Every string child and attribute value is escaped; only `SafeHtml` (made by elements or by
 * `raw()`, which is for trusted constants such as the stylesheet) passes through as markup.
 */
export class SafeHtml {
  constructor(readonly html: string) {}
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
 */
function renderChild(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return '';
  if (child instanceof SafeHtml) return child.html;
  if (Array.isArray(child)) {
    let s = '';
    for (const c of child) s += renderChild(c);
    return s;
  }
  return escapeHtml(String(child));
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
  return new SafeHtml(`${open}${renderChild(props.children)}</${tag}>`);
}

export const jsxs = jsx;
export const jsxDEV = jsx;

export function Fragment(props: { children?: Child }): SafeHtml {
  return new SafeHtml(renderChild(props.children));
}

export function renderDocument(body: SafeHtml): string {
  return `<!doctype html>\n${body.html}`;
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
