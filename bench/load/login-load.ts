/**
 * Login load generator (its own process): `concurrency` fresh browsers, each running the whole
 * flow again and again for `durationS`: GET /oauth/authorize → the login page → POST the password
 * → (consent skipped, the app is linked) → redirect with a code → POST /oauth/token. A flow counts
 * only when it ends with an access token; anything else is an error. Spec on stdin, JSON out.
 *
 * The browsers first run for `warmupS` uncounted (this process's own JIT warm-up is not yeon's
 * cost); then flows that end within the next `durationS` are counted. This process's CPU and, when
 * `serverPid` is given (Linux /proc), the server's CPU are read over the same window, so the
 * result says what one login costs each side of the 2 cores they share.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

interface Spec {
  url: string;
  clientId: string;
  redirectUri: string;
  emails: string[];
  password: string;
  concurrency: number;
  durationS: number;
  warmupS?: number;
  serverPid?: number;
  /**
   * Password POST alone: before the clock, `prepare` browsers each fetch /oauth/authorize and the
   * login page (uncounted); then `concurrency` workers take them in turn and send only the
   * password POST, which counts when it answers 303 to the authorization resume. A worker stops
   * when the prepared browsers run out, so the window can end early (the rate uses its length).
   */
  postOnly?: boolean;
  prepare?: number;
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

interface Ready {
  b: Browser;
  action: string;
  csrf: string;
}

/** GET /oauth/authorize and follow it to the login form: a browser about to POST its password. */
async function toLoginForm(): Promise<Ready> {
  const b = new Browser();
  const q = new URLSearchParams({
    client_id: spec.clientId,
    redirect_uri: spec.redirectUri,
    response_type: 'code',
    state: 's',
    code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
    code_challenge_method: 'S256',
  });
  let res = await b.go('GET', `${spec.url}/oauth/authorize?${q}`);
  for (let hop = 0; hop < 6 && res.location; hop++) {
    const next = new URL(res.location, spec.url);
    res = await b.go('GET', `${spec.url}${next.pathname}${next.search}`);
  }
  const action = /action="(\/oauth\/interaction\/[\w-]+\/login)"/.exec(res.text)?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
  if (res.status !== 200 || !action || !csrf)
    throw new Error(`no login form (${res.status}): ${res.text.slice(0, 200)}`);
  return { b, action, csrf };
}

/** The counted request of the post-only mode: one password POST, answered by a 303 onwards. */
async function postPassword({ b, action, csrf }: Ready, email: string): Promise<void> {
  const form = new URLSearchParams({ _csrf: csrf, email, password: spec.password }).toString();
  const res = await b.go('POST', `${spec.url}${action}`, form, 'application/x-www-form-urlencoded');
  if (res.status !== 303 || !res.location || res.location.includes('/login'))
    throw new Error(`password POST answered ${res.status} ${res.location ?? res.text.slice(0, 200)}`);
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

/** CPU ms (user + system) in a /proc stat file (a process or one thread); undefined off Linux. */
function cpuMsOf(statPath: string): number | undefined {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in ticks of 1/100 s
  } catch {
    return undefined;
  }
}

const serverCpu = (pid = spec.serverPid) =>
  pid === undefined
    ? undefined
    : { all: cpuMsOf(`/proc/${pid}/stat`), main: cpuMsOf(`/proc/${pid}/task/${pid}/stat`) };

let ok = 0;
let errors = 0;
let firstError: string | undefined;
let prepareErrors = 0;
const readyList: Ready[] = [];
if (spec.postOnly) {
  // Uncounted, before any clock starts: bounded by `prepare`, `concurrency` at a time.
  const want = Math.max(1, Math.min(spec.prepare ?? 1000, 20_000));
  let started = 0;
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (started < want) {
        started++;
        try {
          readyList.push(await toLoginForm());
        } catch (err) {
          prepareErrors++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
}
const latencies: number[] = [];
const warmupEnd = performance.now() + (spec.warmupS ?? 1) * 1000;
const end = warmupEnd + spec.durationS * 1000;
let counting = false;
let start = warmupEnd;
let cpu0 = process.cpuUsage();
let server0 = serverCpu();
const windowOpened = new Promise<void>((resolve) =>
  setTimeout(() => {
    counting = true;
    start = performance.now();
    cpu0 = process.cpuUsage();
    server0 = serverCpu();
    resolve();
  }, warmupEnd - performance.now()),
);
let n = 0;
/** post-only: the prepared browsers, taken in turn; the time the last counted POST ended */
const ready = readyList;
let taken = 0;
let lastEnd = 0;
let ranOut = false;
const job = spec.postOnly
  ? async (email: string) => {
      const r = ready[taken++];
      if (!r) {
        ranOut = true;
        return false;
      }
      await postPassword(r, email);
      return true;
    }
  : async (email: string) => {
      await flow(email);
      return true;
    };
await Promise.all(
  Array.from({ length: spec.concurrency }, async () => {
    while (performance.now() < end && !ranOut) {
      const email = spec.emails[n++ % spec.emails.length]!;
      const t0 = performance.now();
      const counted = counting;
      try {
        if (!(await job(email))) break;
        if (counting) {
          ok++;
          lastEnd = performance.now();
        }
        if (counted) latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  }),
);
await windowOpened;
// post-only: when the prepared browsers ran out, the window closes at the last counted POST
const elapsed = ((ranOut ? lastEnd : performance.now()) - start) / 1000;
const cpu = process.cpuUsage(cpu0);
const server1 = serverCpu();
const perLogin = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !ok ? undefined : (b - a) / ok;
latencies.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    rps: ok / elapsed,
    total: ok,
    errors: errors + prepareErrors,
    firstError,
    // post-only: browsers prepared, and whether they ran out before the window's end
    prepared: spec.postOnly ? readyList.length : undefined,
    ranOut: spec.postOnly ? ranOut : undefined,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    // CPU ms per counted login: this driver (user + system), the server process, its event loop
    driverCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(ok, 1),
    driverSysMs: cpu.system / 1000 / Math.max(ok, 1),
    serverCpuMs: perLogin(server0?.all, server1?.all),
    serverMainThreadCpuMs: perLogin(server0?.main, server1?.main),
  })}\n`,
);
await dispatcher.close();
