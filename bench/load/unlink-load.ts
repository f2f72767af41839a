/**
 * Unlink → callback driver (its own process, also the loopback receiver): for each app, as the
 * signed-in person, GET the Delete All Data confirmation page (for the CSRF token), then time
 * from sending the POST to the callback's arrival at the receiver. Sequential, so each sample is
 * one unlink's latency. Spec on stdin; prints the latencies per run.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

interface Spec {
  url: string;
  cookie: string;
  receiverPort: number;
  runs: number[][];
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input) as Spec;
const waiting = new Map<string, (t: number) => void>();
const arrived = new Map<string, number>();

const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => {
    body += d.toString();
  });
  req.on('end', () => {
    const t = performance.now();
    const appId = /app_id"?[=:]"?(\d+)/.exec(`${req.url ?? ''} ${decodeURIComponent(body)}`)?.[1];
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (!appId) return;
    arrived.set(appId, t);
    waiting.get(appId)?.(t);
  });
});
await new Promise<void>((r) => receiver.listen(spec.receiverPort, '127.0.0.1', r));

const dispatcher = new Agent();
const cookies = new Map<string, string>(spec.cookie.split('; ').map((c) => c.split('=') as [string, string]));
const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
function remember(set: string | string[] | undefined) {
  for (const c of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair = ''] = c.split(';');
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

async function unlinkOnce(appId: number): Promise<number> {
  const path = `/account/connected-services/${appId}/delete-all`;
  const page = await request(`${spec.url}${path}`, {
    dispatcher,
    headers: { cookie: cookieHeader(), accept: 'text/html', 'accept-language': 'en' },
  });
  remember(page.headers['set-cookie']);
  const html = await page.body.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.statusCode !== 200 || !csrf) throw new Error(`confirm page ${page.statusCode}`);
  const key = String(appId);
  const arrival = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no callback for app ${appId} within 15 s`)), 15_000);
    waiting.set(key, (t) => {
      clearTimeout(timer);
      resolve(t);
    });
  });
  const t0 = performance.now();
  const res = await request(`${spec.url}${path}`, {
    method: 'POST',
    dispatcher,
    headers: {
      cookie: cookieHeader(),
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  await res.body.text();
  if (res.statusCode !== 303) throw new Error(`unlink answered ${res.statusCode}`);
  const t1 = arrived.get(key) ?? (await arrival);
  waiting.delete(key);
  return t1 - t0;
}

const runs: number[][] = [];
for (const appIds of spec.runs) {
  const latencies: number[] = [];
  for (const appId of appIds) latencies.push(await unlinkOnce(appId));
  runs.push(latencies);
}
receiver.close();
await dispatcher.close();
process.stdout.write(`${JSON.stringify({ runs })}\n`);
