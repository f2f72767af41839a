/**
 * `yeon serve` as a real process: migrates and listens, writes JSON logs, finishes
 * a request that is in flight when SIGTERM arrives, then exits 0 and frees the port.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TEST_DB } from '../helpers/test-db.ts';
import { laneEnv, start, waitForOutput } from './cli-process.ts';

/** Sends the request head and part of the body now; `finish()` sends the rest and reads the reply. */
function slowRequest(port: number) {
  const body = 'email=a%40example.com&password=secret-password';
  const socket = net.connect(port, '127.0.0.1');
  let response = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => {
    response += d;
  });
  const ended = new Promise<string>((resolve, reject) => {
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
  });
  const connected = new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  return {
    async begin() {
      await connected;
      socket.write(
        'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Request-Id: inflight-1\r\n' +
          'Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n' +
          `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
    },
    finish() {
      socket.write(body.slice(10));
      return ended;
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('yeon serve', () => {
  it('serves on a free port, drains an in-flight request on SIGTERM, exits 0 and frees the port', async (t) => {
    const { env, dataDir } = await laneEnv(t);
    const proc = start(['serve'], { ...env, YEON_PORT: '0', YEON_HOST: '127.0.0.1', YEON_LOG_LEVEL: 'info' });
    t.after(() => {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
    });
    const port = await waitForOutput(proc, (out) => {
      const m = /"msg":"yeon is listening on http:\/\/localhost:(\d+)/.exec(out);
      return m ? Number(m[1]) : undefined;
    });
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'spawned-1' } });
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('x-request-id'), 'spawned-1');
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { database: string }).database, TEST_DB);
    const page = await fetch(`${base}/signup`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/signup"/);

    // Logs are JSON lines carrying the request id.
    const logs = await waitForOutput(proc, (out) => {
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      return lines.some((l) => l.reqId === 'spawned-1') ? lines : undefined;
    });
    assert.ok(logs.every((l) => typeof l.level === 'number' && typeof l.msg === 'string'));
    if (TEST_DB === 'sqlite') {
      assert.ok(fs.existsSync(path.join(dataDir, 'yeon.db')), 'the SQLite file is in the data folder');
      assert.equal(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777, 0o600);
    }

    const slow = slowRequest(port);
    await slow.begin();
    // Only once the server has taken the request in (it logs it) is it "in flight".
    await waitForOutput(proc, (out) =>
      /"reqId":"inflight-1"[^\n]*"msg":"incoming request"/.test(out) ? true : undefined,
    );
    proc.child.kill('SIGTERM');
    await waitForOutput(proc, (out) => (out.includes('"msg":"shutting down"') ? true : undefined));
    const response = await slow.finish();
    // The request that was in flight got a complete answer (403: it carried no CSRF token).
    assert.match(response, /^HTTP\/1\.1 403 /);
    assert.match(response, /"code":"csrf_invalid"/);

    const exit = await proc.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, proc.output.stderr);
    assert.equal(await canConnect(port), false, 'the port is closed');
  });
});
