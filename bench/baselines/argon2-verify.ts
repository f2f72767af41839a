/**
 * Baseline for logins: raw @node-rs/argon2 verifications/s at yeon's parameters (m=19456, t=2,
 * p=1), `concurrency` at once (yeon's YEON_PASSWORD_HASH_CONCURRENCY, one per core by default) for
 * `durationS`, in its own process. Spec on stdin, JSON out. The hashes run on libuv's thread pool
 * (4 threads, at least the cores here); yeon's run on its own worker threads, as many as the cap.
 */
import { hash, verify } from '@node-rs/argon2';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const spec = JSON.parse(input) as { concurrency: number; durationS: number; password: string };
const hashed = await hash(spec.password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
let ok = 0;
let errors = 0;
const cpu0 = process.cpuUsage();
const start = performance.now();
const end = start + spec.durationS * 1000;
await Promise.all(
  Array.from({ length: spec.concurrency }, async () => {
    while (performance.now() < end) {
      if (await verify(hashed, spec.password)) ok++;
      else errors++;
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
// CPU ms per verification (all threads: the hashes run on libuv's pool), to compare with a login's
const cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(ok, 1);
process.stdout.write(`${JSON.stringify({ rps: ok / elapsed, total: ok, errors, cpuMs })}\n`);
