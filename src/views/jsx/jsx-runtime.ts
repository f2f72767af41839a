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

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function raw(html: string): SafeHtml {
  return new SafeHtml(html);
}

function renderChild(child: Child, out: string[]): void {
  if (child === null || child === undefined || child === false || child === true) return;
  if (child instanceof SafeHtml) out.push(child.html);
  else if (Array.isArray(child)) for (const c of child) renderChild(c, out);
  else out.push(escapeHtml(String(child)));
}

function renderAttributes(props: Props): string {
  let s = '';
  for (const [key, value] of Object.entries(props)) {
    if (key === 'children' || value === undefined || value === null || value === false) continue;
    const name = key === 'className' ? 'class' : key === 'htmlFor' ? 'for' : key;
    s += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return s;
}

export function jsx(tag: string | Component, props: Props): SafeHtml {
  if (typeof tag === 'function') return tag(props);
  const out: string[] = [`<${tag}${renderAttributes(props)}>`];
  if (VOID.has(tag)) return new SafeHtml(out[0]!);
  renderChild(props.children, out);
  out.push(`</${tag}>`);
  return new SafeHtml(out.join(''));
}

export const jsxs = jsx;
export const jsxDEV = jsx;

export function Fragment(props: { children?: Child }): SafeHtml {
  const out: string[] = [];
  renderChild(props.children, out);
  return new SafeHtml(out.join(''));
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
