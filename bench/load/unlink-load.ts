/**
 * Unlink → callback driver (its own process, also the loopback receivers): each session is one
 * signed-in person who, for each of their apps in turn, GETs the Delete All Data confirmation
 * page (for the CSRF token) and POSTs it; a sample is the time from sending the POST to the
 * callback's arrival at the receiver. The sessions of a run go at once (one session = the
 * sequential case; several = a burst of unlinks from several people, each starting an unlink
 * every `paceMs`, their starts spread over one pace, so the burst arrives at a steady rate
 * instead of as fast as yeon answers). Apps in `hangingAppIds`
 * have their callback on a second receiver that reads the request and never answers, so yeon's
 * attempt hangs until its callback timeout; their unlinks are made but not sampled (the figure is
 * healthy receivers' p99). Spec on stdin; prints the healthy samples per run and how many
 * attempts reached the hanging receiver.
 */
import { createServer, type ServerResponse } from 'node:http';
import { Agent, request } from 'undici';

interface Session {
  cookie: string;
  /** the person's links, unlinked in this order; a callback is matched on app_id and user_id */
  links: Array<{ appId: number; userId: number }>;
}

interface Spec {
  url: string;
  receiverPort: number;
  /** where the hanging apps' callbacks point; omitted when no app hangs */
  hangingPort?: number;
  hangingAppIds?: number[];
  /** each run: sessions that unlink at the same time, each starting an unlink every `paceMs` */
  runs: Array<{ sessions: Session[]; paceMs?: number }>;
  /** how long one callback may take before the run fails (default 15 s) */
  waitMs?: number;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input) as Spec;
const hanging = new Set(spec.hangingAppIds ?? []);
const waiting = new Map<string, (t: number) => void>();
const arrived = new Map<string, number>();

const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => {
    body += d.toString();
  });
  req.on('end', () => {
    const t = performance.now();
    const text = `${req.url ?? ''} ${decodeURIComponent(body)}`;
    const appId = /app_id"?[=:]"?(\d+)/.exec(text)?.[1];
    const userId = /user_id"?[=:]"?(\d+)/.exec(text)?.[1];
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (!appId || !userId) return;
    const key = `${appId}:${userId}`;
    arrived.set(key, t);
    waiting.get(key)?.(t);
  });
});
await new Promise<void>((r) => receiver.listen(spec.receiverPort, '127.0.0.1', r));

// Reads each callback and never answers: yeon gives up at its callback timeout and closes.
const held: ServerResponse[] = [];
const hangingReceiver = createServer((req, res) => {
  req.resume();
  held.push(res);
});
if (spec.hangingPort !== undefined)
  await new Promise<void>((r) => hangingReceiver.listen(spec.hangingPort, '127.0.0.1', r));

const dispatcher = new Agent();

function cookieJar(initial: string) {
  const cookies = new Map<string, string>(initial.split('; ').map((c) => c.split('=') as [string, string]));
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    remember(set: string | string[] | undefined) {
      for (const c of Array.isArray(set) ? set : set ? [set] : []) {
        const [pair = ''] = c.split(';');
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    },
  };
}

/** One unlink; resolves with its latency, or undefined for a hanging app (not sampled). */
async function unlinkOnce(
  jar: ReturnType<typeof cookieJar>,
  { appId, userId }: Session['links'][number],
): Promise<number | undefined> {
  const path = `/account/connected-services/${appId}/delete-all`;
  const page = await request(`${spec.url}${path}`, {
    dispatcher,
    headers: { cookie: jar.header(), accept: 'text/html', 'accept-language': 'en' },
  });
  jar.remember(page.headers['set-cookie']);
  const html = await page.body.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.statusCode !== 200 || !csrf) throw new Error(`confirm page ${page.statusCode}`);
  const key = `${appId}:${userId}`;
  const sampled = !hanging.has(appId);
  const waitMs = spec.waitMs ?? 15_000;
  const arrival = sampled
    ? new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no callback for app ${appId} within ${waitMs} ms`)),
          waitMs,
        );
        waiting.set(key, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      })
    : undefined;
  const t0 = performance.now();
  const res = await request(`${spec.url}${path}`, {
    method: 'POST',
    dispatcher,
    headers: {
      cookie: jar.header(),
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  await res.body.text();
  if (res.statusCode !== 303) throw new Error(`unlink answered ${res.statusCode}`);
  if (!arrival) return undefined;
  const t1 = arrived.get(key) ?? (await arrival);
  waiting.delete(key);
  return t1 - t0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function session(s: Session, paceMs: number, delayMs: number): Promise<number[]> {
  const jar = cookieJar(s.cookie);
  const out: number[] = [];
  await sleep(delayMs);
  for (const link of s.links) {
    const started = performance.now();
    const latency = await unlinkOnce(jar, link);
    if (latency !== undefined) out.push(latency);
    await sleep(paceMs - (performance.now() - started));
  }
  return out;
}

const runs: number[][] = [];
for (const { sessions, paceMs = 0 } of spec.runs) {
  const spread = paceMs / sessions.length;
  runs.push((await Promise.all(sessions.map((s, i) => session(s, paceMs, i * spread)))).flat());
}
receiver.close();
for (const res of held) res.socket?.destroy();
hangingReceiver.close();
await dispatcher.close();
// How many attempts reached the hanging receiver: the part checks the hang really happened.
process.stdout.write(`${JSON.stringify({ runs, hangingAttempts: held.length })}\n`);
