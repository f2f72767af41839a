/**
 * Loopback-only test receivers for the outbound client, plus a connect spy that refuses (and
 * records) any socket connect to a non-loopback address, so a guard bug in a test can never put
 * a packet on the network (tests talk to loopback only, whatever the guard does).
 */
import http from 'node:http';
import net from 'node:net';
import type { TestContext } from 'node:test';

export interface Receiver {
  host: string;
  port: number;
  url: string;
  /** TCP connections accepted */
  connections: number;
  /** HTTP requests seen */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  /** resolves when every accepted socket has closed */
  allClosed(): Promise<void>;
  server: http.Server;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** An HTTP receiver on host:port (port 0 = any) that counts connections and records requests. */
export async function startReceiver(
  t: Pick<TestContext, 'after'>,
  handler: Handler = (_req, res) => res.end('ok'),
  options: { host?: string; port?: number; readBody?: boolean } = {},
): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let closedWaiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    if (options.readBody === false) {
      receiver.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: '' });
      handler(req, res, '');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      receiver.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', (socket) => {
    receiver.connections++;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        for (const w of closedWaiters) w();
        closedWaiters = [];
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const receiver: Receiver = {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    connections: 0,
    requests: [],
    server,
    allClosed: () =>
      sockets.size === 0 ? Promise.resolve() : new Promise<void>((r) => closedWaiters.push(r)),
  };
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return receiver;
}

/** Two receivers on the same port but different loopback addresses (bounded retries on EADDRINUSE). */
export async function startPair(
  t: Pick<TestContext, 'after'>,
  first: { host: string; handler?: Handler },
  second: { host: string; handler?: Handler },
): Promise<[Receiver, Receiver]> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const a = await startReceiver(t, first.handler, { host: first.host });
    try {
      const b = await startReceiver(t, second.handler, { host: second.host, port: a.port });
      return [a, b];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      await new Promise<void>((r) => a.server.close(() => r()));
    }
  }
  throw new Error('could not find a free port on both loopback addresses');
}

function isLoopback(host: unknown): boolean {
  if (typeof host !== 'string') return false;
  return host.startsWith('127.') || host === '::1' || host === 'localhost' || host === '::ffff:127.0.0.1';
}

/**
 * Spy on every `net.Socket#connect` for the duration of the test: records each destination and
 * throws for anything that is not loopback, before the kernel sees it.
 */
export function spyConnects(t: Pick<TestContext, 'after'>): { attempts: string[] } {
  const spy = { attempts: [] as string[] };
  const original = net.Socket.prototype.connect;
  // biome-ignore lint/suspicious/noExplicitAny: connect has many overloads; we only read host
  net.Socket.prototype.connect = function patched(this: net.Socket, ...args: any[]) {
    const first = args[0];
    const opts = Array.isArray(first) ? first[0] : first;
    const host = typeof opts === 'object' && opts !== null ? (opts.host ?? 'localhost') : args[1];
    if (typeof opts === 'object' && opts?.path) return original.apply(this, args as never);
    spy.attempts.push(String(host));
    if (!isLoopback(host)) throw new Error(`test refused a non-loopback connect to ${String(host)}`);
    return original.apply(this, args as never);
  } as typeof original;
  t.after(() => {
    net.Socket.prototype.connect = original;
  });
  return spy;
}
