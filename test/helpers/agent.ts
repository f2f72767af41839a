/**
 * A small cookie-keeping client over `app.inject`, for black-box page tests: it remembers cookies
 * like a browser, and reads the CSRF token out of the last form it saw.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class Agent {
  readonly cookies = new Map<string, string>();
  lastHtml = '';

  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (String(res.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = res.body;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'GET',
      url,
      headers: { accept: 'text/html', ...this.headers, ...headers, cookie: this.cookieHeader() },
    });
    this.remember(res);
    return res;
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m) throw new Error('no CSRF token on the last page');
    return m[1]!;
  }

  /** POST a form; the CSRF token from the last page is added unless `_csrf` is given. */
  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ _csrf: form._csrf ?? this.csrf(), ...form }).toString();
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        ...this.headers,
        ...headers,
        cookie: this.cookieHeader(),
      },
    });
    this.remember(res);
    return res;
  }

  /** Sign up through the real pages; leaves the agent signed in. */
  async signUp(
    email: string,
    password = 'correct horse battery',
    nickname = 'Tester',
  ): Promise<LightMyRequestResponse> {
    await this.get('/signup');
    return this.post('/signup', { email, password, nickname });
  }

  async login(
    email: string,
    password = 'correct horse battery',
    extra: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    await this.get('/login');
    return this.post('/login', { email, password, ...extra });
  }
}
