/**
 * Latency driver (its own process): one request at a time against one URL over one keep-alive
 * connection, each timed with `performance.now()` (microseconds; autocannon's percentiles are
 * whole milliseconds, too coarse for a page that takes 2–4 ms). The time is the server's plus
 * one loopback round trip. Any error or non-2xx answer is counted; the caller refuses the figure
 * if there is one. JSON spec on stdin, one JSON line out.
 */
import { Pool } from 'undici';

interface Spec {
  url: string;
  headers?: Record<string, string>;
  durationS: number;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input) as Spec;
const url = new URL(spec.url);
const pool = new Pool(url.origin, { connections: 1 });
const samples: number[] = [];
let errors = 0;
let non2xx = 0;
const end = performance.now() + spec.durationS * 1000;
// Bounded by time and by count, whatever the server does.
while (performance.now() < end && samples.length + errors < 200_000) {
  const t0 = performance.now();
  try {
    const res = await pool.request({
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      ...(spec.headers ? { headers: spec.headers } : {}),
    });
    await res.body.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
    else samples.push(ms);
  } catch {
    errors++;
  }
}
await pool.close();
samples.sort((a, b) => a - b);
const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ total: samples.length, errors, non2xx, p50: at(0.5), p99: at(0.99) })}\n`,
);
