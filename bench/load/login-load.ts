/**
 * Login load generator (its own process): `concurrency` fresh browsers, each running the whole
 * flow again and again for `durationS`: GET /oauth/authorize → the login page → POST the password
 * → (consent skipped, the app is linked) → redirect with a code → POST /oauth/token. A flow counts
 * only when it ends with an access token; anything else is an error. Spec on stdin, JSON out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';

interface Spec {
  url: string;
  clientId: string;
  redirectUri: string;
  emails: string[];
  password: string;
  concurrency: number;
  durationS: number;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input) as Spec;
const dispatcher = new Agent({ connections: spec.concurrency * 2 });

class Browser {
  cookies = new Map<string, string>();
  async go(method: 'GET' | 'POST', url: string, body?: string, type?: string) {
    const headers: Record<string, string> = { accept: 'text/html', 'accept-language': 'en' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (type) headers['content-type'] = type;
    const res = await request(url, { method, headers, body, dispatcher });
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.body.text();
    const location = res.headers.location ? String(res.headers.location) : undefined;
    return { status: res.statusCode, text, location };
  }
}

async function flow(email: string): Promise<void> {
  const b = new Browser();
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    client_id: spec.clientId,
    redirect_uri: spec.redirectUri,
    response_type: 'code',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  let res = await b.go('GET', `${spec.url}/oauth/authorize?${q}`);
  let code: string | undefined;
  let posted = false;
  for (let hop = 0; hop < 12 && !code; hop++) {
    if (res.location) {
      const next = new URL(res.location, spec.url);
      if (next.href.startsWith(spec.redirectUri)) {
        code = next.searchParams.get('code') ?? undefined;
        if (!code) throw new Error(`redirect without code: ${next.href}`);
        break;
      }
      res = await b.go('GET', `${spec.url}${next.pathname}${next.search}`);
      continue;
    }
    if (res.status !== 200 || posted) throw new Error(`unexpected ${res.status}: ${res.text.slice(0, 200)}`);
    const action = /action="(\/oauth\/interaction\/[\w-]+\/login)"/.exec(res.text)?.[1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
    if (!action || !csrf) throw new Error(`no login form: ${res.text.slice(0, 200)}`);
    posted = true;
    const form = new URLSearchParams({ _csrf: csrf, email, password: spec.password }).toString();
    res = await b.go('POST', `${spec.url}${action}`, form, 'application/x-www-form-urlencoded');
  }
  if (!code) throw new Error('no code after the flow');
  const token = await request(`${spec.url}/oauth/token`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: spec.clientId,
      redirect_uri: spec.redirectUri,
      code,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await token.body.json()) as { access_token?: string };
  if (token.statusCode !== 200 || !body.access_token) throw new Error(`token ${token.statusCode}`);
}

let ok = 0;
let errors = 0;
let firstError: string | undefined;
const latencies: number[] = [];
const start = performance.now();
const end = start + spec.durationS * 1000;
let n = 0;
await Promise.all(
  Array.from({ length: spec.concurrency }, async () => {
    while (performance.now() < end) {
      const email = spec.emails[n++ % spec.emails.length]!;
      const t0 = performance.now();
      try {
        await flow(email);
        ok++;
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    rps: ok / elapsed,
    total: ok,
    errors,
    firstError,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
  })}\n`,
);
await dispatcher.close();
