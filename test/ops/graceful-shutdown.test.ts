/**
 * SIGTERM to a real `yeon serve`: it stops accepting, answers the request in flight, lets the
 * callback delivery in hand finish and be recorded, gives back the notifications it had claimed
 * but not sent (their lease cleared, so another instance takes them at once), and exits 0 — which
 * also proves it beat its 10-second grace timer, whose forced exit has status 1.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { enqueueNotification } from '../../src/modules/notifications/outbox.repo.ts';
import { start, waitForOutput } from '../cli/cli-process.ts';
import { sharedDatabase, until } from '../notifications/processes.ts';

/** A callback receiver that holds each delivery until `letGo()`. */
async function holdingReceiver(t: { after(fn: () => Promise<void>): void }) {
  const held: http.ServerResponse[] = [];
  let release = false;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => (release ? res.end('ok') : held.push(res)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/unlink`,
    held: () => held.length,
    letGo() {
      release = true;
      for (const res of held.splice(0)) res.end('ok');
    },
  };
}

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
        'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Request-Id: drain-1\r\n' +
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

describe('yeon serve on SIGTERM', () => {
  it('finishes the request and the delivery in flight, releases claimed notifications, exits 0', async (t) => {
    const receiver = await holdingReceiver(t);
    const { db, env, appIds } = await sharedDatabase(t, receiver.url, 1);
    const proc = start(['serve'], {
      ...env,
      YEON_PORT: '0',
      YEON_HOST: '127.0.0.1',
      YEON_LOG_LEVEL: 'info',
      YEON_CALLBACK_TIMEOUT_MS: '8000',
      YEON_NOTIFY_LEASE_SECONDS: '600',
      YEON_NOTIFY_POLL_MS: '50',
    });
    t.after(() => {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    });
    const port = await waitForOutput(proc, (out) => {
      const m = /"msg":"yeon is listening on http:\/\/localhost:(\d+)/.exec(out);
      return m ? Number(m[1]) : undefined;
    });
    const owner = await waitForOutput(
      proc,
      (out) => /"owner":"([^"]+)"[^\n]*"dispatcher started"/.exec(out)?.[1],
    );

    // A delivery in hand: the receiver holds it.
    const sending = await enqueueNotification(db, {
      appId: appIds[0]!,
      eventType: 'user.unlinked',
      referrerType: 'UNLINK_FROM_APPS',
      appUserId: 3_000_000_001,
      now: Date.now(),
    });
    await until(() => receiver.held() === 1, 'the delivery to reach the receiver');
    // A row this dispatcher claimed and has not sent (as a claim left behind by a delivery that
    // could not be recorded): leased to it for ten minutes.
    const claimed = await enqueueNotification(db, {
      appId: appIds[0]!,
      eventType: 'user.unlinked',
      referrerType: 'UNLINK_FROM_APPS',
      appUserId: 3_000_000_002,
      now: Date.now() + 3_600_000,
    });
    await db
      .updateTable('notifications')
      .set({ lease_owner: owner, lease_until: Date.now() + 600_000, next_attempt_at: Date.now() })
      .where('id', '=', claimed)
      .execute();

    const slow = slowRequest(port);
    await slow.begin();
    await waitForOutput(proc, (out) =>
      /"reqId":"drain-1"[^\n]*"msg":"incoming request"/.test(out) ? true : undefined,
    );
    proc.child.kill('SIGTERM');
    await waitForOutput(proc, (out) => (out.includes('"msg":"shutting down"') ? true : undefined));
    const response = await slow.finish();
    assert.match(response, /^HTTP\/1\.1 403 /, 'the request in flight got its whole answer');
    receiver.letGo();

    const exit = await proc.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, proc.output.stderr);

    const rows = await db
      .selectFrom('notifications')
      .select(['id', 'status', 'lease_owner', 'lease_until'])
      .where('id', 'in', [sending, claimed])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(sending)?.status, 'delivered', 'the delivery in hand was finished and recorded');
    assert.equal(byId.get(claimed)?.status, 'pending');
    assert.equal(byId.get(claimed)?.lease_owner, null, 'the claimed row was given back');
    assert.equal(byId.get(claimed)?.lease_until, null);
    assert.match(proc.output.stdout, /"released":1[^\n]*"released claimed notifications"/);
  });
});
