/**
 * Hostile receivers do not delay healthy ones (the per-app
 * concurrency limit): one app's receiver accepts and never answers, another
 * streams an endless body. Each holds at most `appConcurrency` of the dispatcher's slots, so
 * the healthy app's notifications are all delivered while the hostile requests are still open.
 * The endless body is cut at 64 KiB (a 2xx, so delivered); the silent ones fail when dropped.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import { describe, it } from 'node:test';
import { fakeClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { startReceiver } from '../modules/outbound/loopback.ts';
import {
  attemptsOf,
  createCallbackApp,
  enqueueUnlinks,
  LOOPBACK_POLICY,
  notificationRow,
  testDispatcher,
} from './helpers.ts';

/** Tracks how many requests are open at once on a receiver. */
function openCounter() {
  const c = { open: 0, max: 0 };
  const track = (res: http.ServerResponse) => {
    c.open++;
    c.max = Math.max(c.max, c.open);
    res.on('close', () => {
      c.open--;
    });
  };
  return { c, track };
}

describe('per-app concurrency', () => {
  it('delivers a healthy app while a silent and an endless receiver hold only their own slots', async (t) => {
    const clock = fakeClock(Date.now());
    const { app } = await buildTestApp(t, { clock });
    const silent = openCounter();
    const endless = openCounter();
    const held: http.ServerResponse[] = [];
    const silentRx = await startReceiver(t, (_req, res) => {
      silent.track(res);
      held.push(res);
    });
    const endlessRx = await startReceiver(t, (_req, res) => {
      endless.track(res);
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16_384, 'x');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const healthyRx = await startReceiver(t);
    const silentApp = await createCallbackApp(app, `${silentRx.url}/u`);
    const endlessApp = await createCallbackApp(app, `${endlessRx.url}/u`);
    const healthyApp = await createCallbackApp(app, `${healthyRx.url}/u`);
    const now = clock.now();
    // The hostile rows are older, so they are first in line.
    const silentIds = await enqueueUnlinks(app.db, silentApp.app_id, 6, now - 2);
    const endlessIds = await enqueueUnlinks(app.db, endlessApp.app_id, 6, now - 1);
    const healthyIds = await enqueueUnlinks(app.db, healthyApp.app_id, 12, now);

    // A long timeout: the silent receiver holds its requests until the test lets go.
    const dispatcher = testDispatcher(
      app,
      clock,
      { concurrency: 8, appConcurrency: 2, pollMs: 10 },
      { outbound: { policy: LOOPBACK_POLICY, timeoutMs: 60_000 } },
    );
    dispatcher.start();
    t.after(() => dispatcher.stop());
    const deadline = Date.now() + 60_000;
    while (healthyRx.requests.length < healthyIds.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));

    assert.equal(healthyRx.requests.length, healthyIds.length, 'every healthy notification arrived');
    assert.equal(silent.c.open, 2, 'the silent receiver holds its two slots, no more');
    assert.ok(silent.c.max <= 2 && endless.c.max <= 2, `per-app cap: ${silent.c.max}, ${endless.c.max}`);
    const stopped = dispatcher.stop();
    for (const res of held) res.socket?.destroy();
    await stopped;

    for (const id of healthyIds) assert.equal((await notificationRow(app.db, id)).status, 'delivered');
    const silentAttempts = (await Promise.all(silentIds.map((id) => attemptsOf(app.db, id)))).flat();
    assert.equal(silentAttempts.length, 2, 'only two silent rows were ever in flight');
    assert.ok(
      silentAttempts.every((a) => a.error !== null),
      'a dropped connection is a failed attempt',
    );
    const [endlessAttempt] = await attemptsOf(app.db, endlessIds[0]!);
    assert.equal(endlessAttempt!.status_code, 200);
    assert.equal((await notificationRow(app.db, endlessIds[0]!)).status, 'delivered', 'a 2xx cut at 64 KiB');
    assert.ok(endlessAttempt!.response_excerpt!.length <= 1024, 'only an excerpt is kept');
  });
});
