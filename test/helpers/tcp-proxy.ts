/**
 * startTcpProxy(target): a TCP relay on 127.0.0.1 between yeon and a server (PostgreSQL, an
 * instance behind a load balancer) that a test can cut and restore, to play an outage:
 * - `cut()` resets every open connection and refuses new ones at once (a server that died);
 * - `cut('blackhole')` resets every open connection and accepts new ones without ever answering
 *   (a network that drops packets), so only the client's own timeouts end the wait;
 * - `restore()` relays again. Nothing else is faked: bytes pass through unchanged.
 */
import net from 'node:net';

export interface TcpProxy {
  /** the port on 127.0.0.1 to connect to instead of the target */
  port: number;
  /** `postgres://…` (or any URL) with its host and port replaced by the proxy's */
  urlFor(url: string): string;
  cut(mode?: 'refuse' | 'blackhole'): void;
  restore(): void;
  /** connections relayed since the start (for tests that want to see traffic passed) */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'refuse' | 'blackhole' = 'open';
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') return; // held open, never answered, reset by the next cut/restore/close
    accepted++;
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  // A reset (RST) only for sockets still open: resetting one already being destroyed fails inside
  // Node, its handle is then never closed, and the process spins forever at exit waiting for it
  // (seen in CI: the test file's process at 80 % CPU in FreeEnvironment after every test passed).
  const dropAll = () => {
    for (const socket of sockets) {
      if (socket.destroyed) continue;
      if (socket.readyState === 'open') socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  return {
    port,
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut(how = 'refuse') {
      mode = how;
      dropAll();
    },
    restore() {
      // connections held by a blackhole would otherwise hang their clients until a timeout
      if (mode === 'blackhole') dropAll();
      mode = 'open';
    },
    get accepted() {
      return accepted;
    },
    close() {
      dropAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
