/**
 * A cookie-keeping browser over real HTTP (global fetch): it follows yeon's own redirects, stops at
 * a page or at the redirect that leaves yeon, and posts the login and consent forms as a person
 * would, CSRF field included. Used by the tests of clients no one here wrote.
 */
export class FetchBrowser {
  readonly cookies = new Map<string, string>();
  lastHtml = '';

  constructor(readonly origin: string) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone =
        value === '' ||
        attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) ||
        attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(new URL(url, this.origin), {
      ...init,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'accept-language': 'en',
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    this.remember(res);
    return res;
  }

  /** GET, then follow redirects within yeon (at most 10); returns the last response. */
  async follow(url: string, first?: Response): Promise<{ res: Response; url: URL }> {
    let current = new URL(url, this.origin);
    let res = first ?? (await this.request(current.toString()));
    for (let hop = 0; hop < 10; hop++) {
      const location = res.headers.get('location');
      if (!location || res.status < 300 || res.status >= 400) break;
      const next = new URL(location, current);
      if (next.origin !== this.origin) return { res, url: next };
      current = next;
      res = await this.request(current.toString());
    }
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) this.lastHtml = await res.text();
    return { res, url: current };
  }

  /** The action and CSRF token of the form on the last page that posts to `pathPart`. */
  form(pathPart: string): { action: string; csrf: string } {
    const action = new RegExp(`<form[^>]*action="([^"]*${pathPart}[^"]*)"`).exec(this.lastHtml)?.[1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1];
    if (!action || !csrf) throw new Error(`no ${pathPart} form on the page: ${this.lastHtml.slice(0, 400)}`);
    return { action: action.replaceAll('&amp;', '&'), csrf };
  }

  /** Posts a form of the last page and follows the redirects. */
  async submit(pathPart: string, fields: Array<[string, string]>): Promise<{ res: Response; url: URL }> {
    const { action, csrf } = this.form(pathPart);
    const body = new URLSearchParams([['_csrf', csrf], ...fields]);
    const res = await this.request(action, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    return this.follow(action, res);
  }
}
