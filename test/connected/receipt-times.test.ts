/**
 * Receipt times are written in the reader's time zone (the yeon_tz cookie), as every other page's
 * are: a person in Adelaide (UTC+10:30 in December, so no whole-hour zone can pass for it) reads
 * the time the app was told in Adelaide time, on the page and in its live `.json` twin; "today" is
 * their day, not the server's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDateIn } from '../../src/i18n/dates.ts';
import { translator } from '../../src/i18n/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { receiptStatusText } from '../../src/views/pages/connected/receipt-pages.tsx';
import { startReceiver } from '../modules/outbound/loopback.ts';
import { testDispatcher } from '../notifications/helpers.ts';
import { setupConnected } from './fixtures.ts';

const ZONE = 'Australia/Adelaide';

describe('receipt times', () => {
  test('the time an app was told is shown in the time zone of the yeon_tz cookie', async (t) => {
    const { app, agent, case1 } = await setupConnected(t);
    const rx = await startReceiver(t);
    await app.db
      .updateTable('apps')
      .set({ unlink_callback_url: `${rx.url}/unlink` })
      .where('id', '=', case1.app_id)
      .execute();
    await agent.get(`/account/connected-services/${case1.app_id}/delete-all`);
    assert.equal(
      (await agent.post(`/account/connected-services/${case1.app_id}/delete-all`, {})).statusCode,
      303,
    );
    assert.equal((await testDispatcher(app, systemClock).tick()).delivered, 1);
    const row = await app.db
      .selectFrom('notifications')
      .select('delivered_at')
      .where('app_id', '=', case1.app_id)
      .executeTakeFirstOrThrow();
    const at = Number(row.delivered_at);
    const inZone = formatDateIn({ locale: 'en', timeZone: ZONE }, 'timeWithSeconds', at);
    assert.notEqual(inZone, formatDateIn('en', 'timeWithSeconds', at));

    agent.cookies.set('yeon_tz', ZONE);
    const path = `/account/connected-services/${case1.app_id}/receipt`;
    const json = JSON.parse((await agent.get(`${path}.json`)).body) as { apps: Array<{ status: string }> };
    assert.equal(json.apps[0]!.status, `Callback Shop was told at ${inZone}.`);
    const page = await agent.get(path);
    assert.ok(page.body.includes(`Callback Shop was told at ${inZone}.`));
  });

  test("a retry due on another day in the reader's zone carries its date; today's only the time", () => {
    const t = translator('ko');
    // 23:30 in Seoul; the next try at 00:30 is tomorrow in Seoul but still today in UTC.
    const now = Date.UTC(2026, 11, 6, 14, 30);
    const next = now + 3_600_000;
    const entry = {
      appName: 'Shop',
      state: 'retrying' as const,
      attempts: 2,
      deliveredAt: null,
      nextAttemptAt: next,
      failedAt: null,
    };
    const seoul = receiptStatusText({ t, locale: 'ko', timeZone: 'Asia/Seoul', now }, entry);
    assert.ok(
      seoul.includes(formatDateIn({ locale: 'ko', timeZone: 'Asia/Seoul' }, 'dateTime', next)),
      seoul,
    );
    const utc = receiptStatusText({ t, locale: 'ko', timeZone: 'UTC', now }, entry);
    assert.ok(utc.includes(formatDateIn({ locale: 'ko', timeZone: 'UTC' }, 'timeWithSeconds', next)), utc);
    assert.ok(!utc.includes('2026년'), utc);
  });
});
