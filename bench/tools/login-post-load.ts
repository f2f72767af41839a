/**
 * Driver for `profile.ts login-post` (its own process): the password POST of a login and nothing
 * else in the counted window. First `forms` fresh browsers each GET /oauth/authorize and follow it
 * to the login page (uncounted), keeping their cookies and the form's CSRF token; then the POSTs
 * go `concurrency` at a time, the first `warmup` of them uncounted, and the redirect each answers
 * with is not followed. Prints the counted POSTs and the window they ran in, in monotonic µs (the
 * clock of a .cpuprofile's samples). Spec on stdin, JSON out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';

interface Spec {
  url: string;
  clientId: string;
  redirectUri: string;
  emails: string[];
  password: string;
  forms: number;
  warmup: number;
  concurrency: number;
  durationS: number;
}

interface Form {
  cookie: string;
  action: string;
  csrf: string;
  email: string;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input) as Spec;
const dispatcher = new Agent({ connections: spec.concurrency * 2 });
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function remember(cookies: Map<string, string>, set: string | string[] | undefined) {
  for (const c of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair = ''] = c.split(';');
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1).trim();
    if (value === '' || /max-age=0/i.test(c)) cookies.delete(pair.slice(0, eq).trim());
    else cookies.set(pair.slice(0, eq).trim(), value);
  }
}
const header = (cookies: Map<string, string>) => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

async function loginPage(email: string): Promise<Form> {
  const cookies = new Map<string, string>();
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    client_id: spec.clientId,
    redirect_uri: spec.redirectUri,
    response_type: 'code',
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  let next = `${spec.url}/oauth/authorize?${q}`;
  for (let hop = 0; hop < 6; hop++) {
    const res = await request(next, {
      dispatcher,
      headers: { accept: 'text/html', 'accept-language': 'en', cookie: header(cookies) },
    });
    remember(cookies, res.headers['set-cookie']);
    const text = await res.body.text();
    if (res.headers.location) {
      const to = new URL(String(res.headers.location), spec.url);
      next = `${spec.url}${to.pathname}${to.search}`;
      continue;
    }
    const action = /action="(\/oauth\/interaction\/[\w-]+\/login)"/.exec(text)?.[1];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (res.statusCode !== 200 || !action || !csrf)
      throw new Error(`no login form (${res.statusCode}): ${text.slice(0, 200)}`);
    return { cookie: header(cookies), action, csrf, email };
  }
  throw new Error('too many redirects before the login page');
}

async function post(form: Form): Promise<void> {
  const res = await request(`${spec.url}${form.action}`, {
    method: 'POST',
    dispatcher,
    headers: {
      accept: 'text/html',
      'accept-language': 'en',
      cookie: form.cookie,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: form.csrf, email: form.email, password: spec.password }).toString(),
  });
  const text = await res.body.text();
  // a correct password answers with the redirect that resumes the authorization, not back to login
  const location = res.headers.location ? String(res.headers.location) : '';
  if (res.statusCode < 300 || res.statusCode >= 400 || !location || location.includes('/login'))
    throw new Error(`login POST answered ${res.statusCode}: ${text.slice(0, 200)}`);
}

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>, until = Infinity) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length && monotonicUs() < until) await fn(items[i++]!);
    }),
  );
}

const forms: Form[] = [];
const emails = Array.from({ length: spec.forms }, (_, i) => spec.emails[i % spec.emails.length]!);
await pool(emails, spec.concurrency, async (email) => {
  forms.push(await loginPage(email));
});
await pool(forms.slice(0, spec.warmup), spec.concurrency, post);
const counted = forms.slice(spec.warmup);
const latencies: number[] = [];
const fromUs = monotonicUs();
await pool(
  counted,
  spec.concurrency,
  async (form) => {
    const t0 = performance.now();
    await post(form);
    latencies.push(performance.now() - t0);
  },
  fromUs + spec.durationS * 1e6,
);
const toUs = monotonicUs();
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    posts: latencies.length,
    ranOutOfForms: latencies.length === counted.length,
    perS: latencies.length / ((toUs - fromUs) / 1e6),
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    fromUs,
    toUs,
  })}\n`,
);
await dispatcher.close();
