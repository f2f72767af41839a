/**
 * Load generator (its own process): autocannon against one URL, cycling through `bodies` (e.g. many
 * refresh tokens) when given. Reads a JSON spec on stdin, prints one JSON line with the result.
 * Any error, timeout or non-2xx answer is counted, and the caller refuses the figure if there is one.
 */
import autocannon from 'autocannon';

interface Spec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  bodies?: string[];
  connections: number;
  durationS: number;
}

async function readStdin(): Promise<string> {
  let s = '';
  for await (const chunk of process.stdin) s += chunk;
  return s;
}

const spec = JSON.parse(await readStdin()) as Spec;
let i = 0;
const bodies = spec.bodies;
const result = await autocannon({
  url: spec.url,
  method: spec.method ?? 'GET',
  ...(spec.headers ? { headers: spec.headers } : {}),
  connections: spec.connections,
  duration: spec.durationS,
  ...(bodies?.length
    ? {
        requests: [
          {
            setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[i++ % bodies.length] }),
          },
        ],
      }
    : {}),
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.total / (result.duration || spec.durationS),
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
  })}\n`,
);
