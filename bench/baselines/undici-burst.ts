/**
 * Baseline for the delivery burst: raw undici POSTs of a Kakao-format unlink body to the same
 * loopback receiver, `concurrency` at once (yeon's dispatcher default is 16). Args: <url> <n>
 * <concurrency>. Prints { sent, errors }.
 */
import { Agent, request } from 'undici';

const [url = '', n = '1', concurrency = '16'] = process.argv.slice(2);
const dispatcher = new Agent({ connections: Number(concurrency) });
let next = 0;
let errors = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < Number(n)) {
      const i = next++;
      try {
        const res = await request(url, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'KakaoAK bench' },
          body: `app_id=1&user_id=${i}&referrer_type=UNLINK_FROM_APPS`,
        });
        await res.body.text();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
    }
  }),
);
await dispatcher.close();
process.stdout.write(`${JSON.stringify({ sent: Number(n), errors })}\n`);
