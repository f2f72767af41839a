/**
 * Several real `./bin/yeon serve` processes behind a real nginx (round robin, no sticky sessions),
 * for the cluster and crash tests. nginx runs as this test's child with a config in a temp folder;
 * each instance is a child on its own loopback port that the test can SIGKILL, SIGTERM and start
 * again on the same port. Only these children's own PIDs are ever signalled.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { cleanEnv, ROOT, YEON } from '../cli/cli-process.ts';

export const NGINX = '/usr/sbin/nginx';
/** Upper bound for one instance to answer /healthz after a start: a safety net, never an assertion. */
const START_LIMIT_MS = 90_000;

type After = Pick<TestContext, 'after'>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Fails loudly when nginx is not installed: the cluster test is about a real load balancer. */
export function requireNginx(): void {
  if (!fs.existsSync(NGINX))
    throw new Error(`${NGINX} is missing: apt install nginx-light (the cluster test runs yeon behind nginx)`);
}

/**
 * The environment every instance of one cluster shares: one cookie secret and one encryption key
 * (so a page served by A posts to B with the same CSRF seed, and every instance opens what another
 * sealed), loopback callbacks allowed, and a short notification lease and poll so a killed
 * instance's deliveries come back within seconds. Development mode, not production: production
 * refuses to start while an app has a plain-http unlink callback (src/modules/apps/
 * production-urls.ts), and the receiver is a plain-http server on loopback.
 */
export function clusterEnv(
  database: Record<string, string>,
  issuer: string,
  encryptionKey: string,
  dataDir: string,
): Record<string, string> {
  return {
    ...database,
    YEON_ENV: 'development',
    YEON_ISSUER: issuer,
    YEON_DATA_DIR: dataDir,
    YEON_COOKIE_SECRET: randomBytes(32).toString('base64url'),
    YEON_ENCRYPTION_KEY: encryptionKey,
    // Every request reaches yeon from nginx on 127.0.0.1: per-address caps would measure the cap.
    YEON_AUTHORIZE_MAX_PER_IP: '100000',
    // The receiver is on loopback (the SSRF guard refuses private addresses unless allowed).
    YEON_OUTBOUND_ALLOW: '127.0.0.0/8',
    YEON_CALLBACK_TIMEOUT_MS: '2000',
    // Short, so a killed instance's deliveries come back within seconds, yet well above the
    // callback timeout plus the batch's commit: a lease that ran out while its own dispatcher was
    // still recording a delivery (a busy 2-core CI host, SQLite's one writer) sent it twice.
    YEON_NOTIFY_LEASE_SECONDS: '10',
    YEON_NOTIFY_POLL_MS: '100',
    YEON_NOTIFY_CONCURRENCY: '16',
    YEON_NOTIFY_APP_CONCURRENCY: '8',
    YEON_LOG_LEVEL: 'warn',
  };
}

export interface Instance {
  name: string;
  port: number;
  url: string;
  /** how many times it was started */
  starts: number;
  running(): boolean;
  /** running and answered /healthz since its last start */
  ready(): boolean;
  start(): Promise<void>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
}

/** One `yeon serve` on a fixed port: stopped and started again on that port, as a supervisor would. */
export async function yeonInstance(
  t: After,
  name: string,
  env: Record<string, string>,
  fixedPort?: number,
): Promise<Instance> {
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let out = '';
  let healthy = false;
  const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const instance: Instance = {
    name,
    port,
    url,
    starts: 0,
    running: alive,
    ready: () => healthy && alive(),
    output: () => out.slice(-3000),
    async start() {
      if (alive()) throw new Error(`${name} is already running`);
      instance.starts++;
      healthy = false;
      const proc = spawn(process.execPath, [YEON, 'serve'], {
        cwd: ROOT,
        env: cleanEnv({ ...env, YEON_PORT: String(port), YEON_HOST: '127.0.0.1' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      const keep = (d: Buffer) => {
        out = (out + d.toString()).slice(-20_000);
      };
      proc.stdout!.on('data', keep);
      proc.stderr!.on('data', keep);
      exited = new Promise((resolve) => proc.once('exit', () => resolve()));
      const deadline = Date.now() + START_LIMIT_MS;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null || proc.signalCode !== null)
          throw new Error(`${name} exited at start (${proc.exitCode ?? proc.signalCode}):\n${out}`);
        try {
          const res = await fetch(`${url}/healthz`);
          await res.arrayBuffer();
          if (res.status === 200) {
            healthy = true;
            return;
          }
        } catch {
          // not listening yet
        }
        await sleep(50);
      }
      throw new Error(`${name} did not answer /healthz within ${START_LIMIT_MS} ms:\n${out}`);
    },
    async stop(signal) {
      if (!alive()) return;
      child!.kill(signal);
      await exited;
    },
  };
  t.after(async () => {
    if (alive()) child!.kill('SIGKILL');
    await exited;
  });
  return instance;
}

/** Which of the optional proxy modules this nginx has: each needs a temp path it can write. */
export function tempPathDirectives(dir: string): string {
  let build = '';
  try {
    build = execFileSync(NGINX, ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    build = String((err as { stderr?: string }).stderr ?? '');
  }
  const lines = [`client_body_temp_path ${dir}/body;`, `proxy_temp_path ${dir}/proxy;`];
  for (const m of ['fastcgi', 'uwsgi', 'scgi'])
    if (!build.includes(`--without-http_${m}_module`)) lines.push(`${m}_temp_path ${dir}/${m};`);
  return lines.join('\n    ');
}

export interface Balancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * nginx in front of `upstreams`, round robin. Idempotent requests go to the next instance on a
 * refused connection, a timeout, a 502 or a 503 (`proxy_next_upstream`); nginx never resends a
 * POST that reached an instance (its default without `non_idempotent`), so a client sees that
 * failure and decides itself. `X-Upstream` names the instance that answered.
 *
 * `maxFails: 0` turns off nginx's passive checks. With them, a 503 counts as a failed attempt, so
 * when the database is away every instance is soon marked down and nginx answers its own 502
 * ("no live upstreams", no Retry-After) instead of passing on yeon's 503: the outage test needs
 * yeon's answers to reach the client.
 */
export async function startNginx(
  t: After,
  upstreams: number[],
  port?: number,
  options: { maxFails?: number } = {},
): Promise<Balancer> {
  requireNginx();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-nginx-'));
  // nginx's worker may run as another user (the master is root in CI): it must reach the temp paths.
  fs.chmodSync(dir, 0o755);
  const listen = port ?? (await freePort());
  const servers = upstreams
    .map((p) => `server 127.0.0.1:${p} max_fails=${options.maxFails ?? 1} fail_timeout=1s;`)
    .join('\n      ');
  const conf = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
    access_log off;
    ${tempPathDirectives(dir)}
    upstream yeon {
      ${servers}
    }
    server {
      listen 127.0.0.1:${listen};
      location / {
        proxy_pass http://yeon;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_next_upstream error timeout http_502 http_503;
        proxy_next_upstream_tries ${upstreams.length + 1};
        proxy_connect_timeout 2s;
        proxy_read_timeout 60s;
        add_header X-Upstream $upstream_addr always;
      }
    }
}
`;
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  // Its output goes to a file, not a pipe: a pipe left open by a worker would keep this process alive.
  const startupLog = fs.openSync(path.join(dir, 'startup.log'), 'w');
  const child = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', startupLog, startupLog],
  });
  fs.closeSync(startupLog);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // SIGTERM: nginx's fast shutdown, the master ends its workers; SIGKILL would orphan them.
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  t.after(async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${listen}`;
  // Listening: a TCP connect succeeds (an answer needs an upstream, which may not run yet).
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(listen, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return { url, stop };
    await sleep(25);
  }
  const log = (f: string) =>
    fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '';
  throw new Error(`nginx did not start (${child.exitCode}):\n${log('startup.log')}\n${log('error.log')}`);
}
