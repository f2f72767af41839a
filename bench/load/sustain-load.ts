/**
 * Sustained unlink driver (its own process, also the loopback receiver): Delete All Data POSTs at
 * a steady open-loop rate, `rate` per second for `warmupS + durationS`, whatever yeon answers;
 * unlink i is due at start + i / rate, so a slow answer never delays the next unlink (only
 * `maxInFlight` unanswered unlinks at once, bounded memory; none sent after `sendForS`). A sample is the time from sending
 * the POST to the callback's arrival; unlinks due in the first `warmupS` are not counted.
 *
 * Before the clock, each person GETs one confirmation page (uncounted) for the CSRF cookie and
 * token, which stay valid for the session (the seed is replaced only at login). Spec on stdin;
 * prints one JSON line. Any answer but 303, any failed request and any callback missing after
 * `waitMs` is an error.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

interface Spec {
  url: string;
  receiverPort: number;
  rate: number;
  warmupS: number;
  durationS: number;
  /** session cookie of each person */
  people: string[];
  /** in the order they are due: person index, app id, the app's user id (matched on the callback) */
  links: Array<[person: number, appId: number, userId: number]>;
  waitMs: number;
  maxInFlight: number;
  /** no unlink is sent after this many seconds from the start (a yeon far behind the rate) */
  sendForS: number;
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
    const text = `${req.url ?? ''} ${decodeURIComponent(body)}`;
    const appId = /app_id"?[=:]"?(\d+)/.exec(text)?.[1];
    const userId = /user_id"?[=:]"?(\d+)/.exec(text)?.[1];
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (!appId || !userId) return;
    const key = `${appId}:${userId}`;
    const resolve = waiting.get(key);
    if (resolve) resolve(t);
    else arrived.set(key, t);
  });
});
await new Promise<void>((r) => receiver.listen(spec.receiverPort, '127.0.0.1', r));

const dispatcher = new Agent({ connections: 64 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let errors = 0;
let firstError: string | undefined;
const fail = (err: unknown) => {
  errors++;
  firstError ??= (err as Error).message ?? String(err);
};

/** Each person's cookie header (session + CSRF seed) and form token, from one confirmation page. */
const browsers: Array<{ cookie: string; csrf: string } | undefined> = [];
const firstApp = new Map<number, number>();
for (const [p, appId] of spec.links) if (!firstApp.has(p)) firstApp.set(p, appId);
let nextPerson = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (nextPerson < spec.people.length) {
      const p = nextPerson++;
      const appId = firstApp.get(p);
      if (appId === undefined) continue;
      try {
        const page = await request(`${spec.url}/account/connected-services/${appId}/delete-all`, {
          dispatcher,
          headers: { cookie: spec.people[p]!, accept: 'text/html', 'accept-language': 'en' },
        });
        const html = await page.body.text();
        const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
        if (page.statusCode !== 200 || !csrf) throw new Error(`confirm page ${page.statusCode}`);
        const set = page.headers['set-cookie'];
        const extra = (Array.isArray(set) ? set : set ? [set] : []).map((c) => c.split(';')[0]!.trim());
        browsers[p] = { cookie: [spec.people[p]!, ...extra].join('; '), csrf };
      } catch (err) {
        fail(err);
      }
    }
  }),
);

interface Sample {
  due: number;
  sent: number;
  answered: number;
  arrived: number;
}
const samples: Sample[] = [];
let inFlight = 0;
let maxInFlightSeen = 0;

async function unlinkOnce(i: number, due: number): Promise<void> {
  const [p, appId, userId] = spec.links[i]!;
  const b = browsers[p];
  if (!b) throw new Error(`person ${p} has no confirmation page`);
  const key = `${appId}:${userId}`;
  let timer: NodeJS.Timeout | undefined;
  const arrival = new Promise<number>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no callback for app ${appId} within ${spec.waitMs} ms`)),
      spec.waitMs,
    );
    waiting.set(key, resolve);
  });
  arrival.catch(() => {}); // awaited below; a POST failure must not leave it unhandled
  const sent = performance.now();
  try {
    const res = await request(`${spec.url}/account/connected-services/${appId}/delete-all`, {
      method: 'POST',
      dispatcher,
      headers: {
        cookie: b.cookie,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: b.csrf }).toString(),
    });
    await res.body.text();
    const answered = performance.now();
    if (res.statusCode !== 303) throw new Error(`unlink answered ${res.statusCode}`);
    const early = arrived.get(key);
    const t = early ?? (await arrival);
    samples.push({ due, sent, answered, arrived: t });
  } finally {
    clearTimeout(timer);
    waiting.delete(key);
    arrived.delete(key);
  }
}

const total = Math.min(spec.links.length, Math.round(spec.rate * (spec.warmupS + spec.durationS)));
const interval = 1000 / spec.rate;
const start = performance.now() + 20;
const windowStart = start + spec.warmupS * 1000;
const pending: Array<Promise<void>> = [];
let next = 0;
/** how far behind its due time the latest unlink was sent (the driver's own lag, or the in-flight cap) */
let maxLateMs = 0;
const sendUntil = start + spec.sendForS * 1000;
while (next < total && errors === 0 && performance.now() < sendUntil) {
  const now = performance.now();
  while (next < total && start + next * interval <= now && inFlight < spec.maxInFlight) {
    const due = start + next * interval;
    maxLateMs = Math.max(maxLateMs, now - due);
    inFlight++;
    maxInFlightSeen = Math.max(maxInFlightSeen, inFlight);
    pending.push(
      unlinkOnce(next, due)
        .catch(fail)
        .finally(() => {
          inFlight--;
        }),
    );
    next++;
  }
  const wait = start + next * interval - performance.now();
  await sleep(inFlight >= spec.maxInFlight ? 1 : Math.max(0, Math.min(wait, 5)));
}
await Promise.all(pending);
receiver.close();
await dispatcher.close();

const counted = samples.filter((s) => s.due >= windowStart);
const lat = counted.map((s) => s.arrived - s.sent).sort((a, b) => a - b);
const answer = counted.map((s) => s.answered - s.sent).sort((a, b) => a - b);
const pct = (xs: number[], p: number) =>
  xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? 0;
const lastArrival = Math.max(...counted.map((s) => s.arrived));
const lastSent = Math.max(...counted.map((s) => s.sent));
process.stdout.write(
  `${JSON.stringify({
    errors,
    firstError,
    asked: total,
    sent: next,
    counted: counted.length,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: lat.at(-1) ?? 0,
    answerP50: pct(answer, 50),
    answerP99: pct(answer, 99),
    // unlinks of the window ÷ (from the window's start to the last one's callback): what yeon took
    // in and delivered per second; sent: the rate the POSTs left this process at
    achievedRate: counted.length ? counted.length / ((lastArrival - windowStart) / 1000) : 0,
    sentRate: counted.length ? counted.length / ((lastSent - windowStart) / 1000) : 0,
    maxLateMs,
    maxInFlight: maxInFlightSeen,
  })}\n`,
);
