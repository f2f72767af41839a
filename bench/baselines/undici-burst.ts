/**
 * Baseline for the delivery burst: raw undici POSTs of a Kakao-format unlink body to the same
 * loopback receiver, `concurrency` at once (yeon's dispatcher default is 16). Args: <url> <n>
 * <concurrency>. Sockets are kept alive between POSTs (undici's Agent, `concurrency` per origin). A
 * failed POST is sent again (up to 5 tries, 20 ms, 40 ms, … apart, as yeon's dispatcher retries too), so
 * the receiver still sees every one; prints { sent, errors, retries, firstError }, where errors
 * counts POSTs that failed every try.
 */
import { Agent, request } from 'undici';

const TRIES = 5;
/**
 * Before try k + 1, wait BACKOFF_MS × 2^(k − 1): a loopback connect refused three times in a row
 * (seen on the shared 2-core machine) gets a moment, as yeon's retries wait too.
 */
const BACKOFF_MS = 20;
const [url = '', n = '1', concurrency = '16'] = process.argv.slice(2);
const dispatcher = new Agent({ connections: Number(concurrency) });
let next = 0;
let errors = 0;
let retries = 0;
let firstError: string | undefined;

async function post(i: number): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'KakaoAK bench' },
    body: `app_id=1&user_id=${i}&referrer_type=UNLINK_FROM_APPS`,
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
}

await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < Number(n)) {
      const i = next++;
      for (let attempt = 1; ; attempt++) {
        try {
          await post(i);
          break;
        } catch (err) {
          firstError ??= String((err as Error).message ?? err);
          if (attempt >= TRIES) {
            errors++;
            break;
          }
          retries++;
          await new Promise((r) => setTimeout(r, BACKOFF_MS * 2 ** (attempt - 1)));
        }
      }
    }
  }),
);
await dispatcher.close();
process.stdout.write(`${JSON.stringify({ sent: Number(n), errors, retries, firstError })}\n`);
