/**
 * A withdrawal the person later undid stays in their history. Shop did not ask to hear of
 * withdrawals, so no notification keeps it: the consent events do. The person withdraws the email
 * item and agrees to it again; the history page, the JSON and the CSV download still tell the
 * withdrawal, and another person's events never show up.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { fakeClock } from '../../src/lib/clock.ts';
import type { HistoryExport } from '../../src/modules/connections/history-export.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { TEST_DB } from '../helpers/test-db.ts';
import { createDeveloperApp, PASSWORD } from './fixtures.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 3, 1, 0);

describe('consent events', () => {
  test('a withdrawal stays in the history and both downloads after the person agrees again', async (t) => {
    const clock = fakeClock(START);
    const { app, db } = await buildTestApp(t, { clock });
    const owner = await app.services.accounts.signUp({
      email: `dev-${randomBytes(3).toString('hex')}@example.com`,
      password: PASSWORD,
      nickname: 'Developer',
    });
    const shop = await createDeveloperApp(app, owner.id, { name: 'Shop' });
    const email = `person-${randomBytes(3).toString('hex')}@example.com`;
    const agent = new Agent(app, { 'accept-language': 'en' });
    await agent.signUp(email, PASSWORD, 'Person');
    const person = (await app.services.accounts.getByEmail(email))!;
    const base = `/account/connected-services/${shop.app_id}`;

    await app.services.connections.agree({
      accountId: person.id,
      appId: shop.app_id,
      items: ['profile_nickname', 'account_email'],
    });
    const withdrawnAt = START + HOUR;
    clock.set(withdrawnAt);
    await agent.get(`${base}/withdraw/account_email`);
    assert.equal((await agent.post(`${base}/withdraw/account_email`, {})).statusCode, 303);
    clock.advance(HOUR);
    await app.services.connections.agree({
      accountId: person.id,
      appId: shop.app_id,
      items: ['account_email'],
    });
    // Agreeing to what is already held is no new event.
    await app.services.connections.agree({
      accountId: person.id,
      appId: shop.app_id,
      items: ['account_email'],
    });

    // Someone else withdraws at the same app: never in the person's history.
    const other = await app.services.accounts.signUp({
      email: `other-${randomBytes(3).toString('hex')}@example.com`,
      password: PASSWORD,
      nickname: 'Other',
    });
    await app.services.connections.agree({
      accountId: other.id,
      appId: shop.app_id,
      items: ['profile_nickname', 'account_email'],
    });
    const otherAt = clock.now() + 7 * 60_000;
    clock.set(otherAt);
    await app.services.connections.withdraw({
      accountId: other.id,
      appId: shop.app_id,
      item: 'account_email',
    });

    const noticeCount = await db
      .selectFrom('notifications')
      .select('id')
      .where('event_type', '=', 'user.scope_withdrawn')
      .execute();
    assert.equal(noticeCount.length, 0, 'Shop did not subscribe: no notification keeps the withdrawal');
    const events = await db
      .selectFrom('consent_events')
      .select(['item', 'kind', 'at'])
      .where('account_id', '=', person.id)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.item, e.kind, Number(e.at)]),
      [
        ['account_email', 'agreed', START],
        ['account_email', 'withdrawn', withdrawnAt],
        ['account_email', 'agreed', START + 2 * HOUR],
      ],
    );

    const page = await agent.get('/account/history');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-event="withdrawn" data-count="1">/);

    const data = (await agent.get('/account/history/download.json')).json() as HistoryExport;
    assert.deepEqual(
      data.consents.filter((c) => c.item === 'account_email').map((c) => [c.action, c.at]),
      [
        ['given', new Date(START).toISOString()],
        ['withdrawn', new Date(withdrawnAt).toISOString()],
        ['given', new Date(START + 2 * HOUR).toISOString()],
      ],
    );
    assert.ok(!data.consents.some((c) => c.at === new Date(otherAt).toISOString()));

    const csv = (await agent.get('/account/history/download.csv')).body;
    assert.ok(
      csv.includes(
        `consent_withdrawn,${shop.app_id},Shop,account_email,${new Date(withdrawnAt).toISOString()}`,
      ),
    );
  });

  test("the person's notifications are found by (app_id, app_user_id) through an index", async (t) => {
    const { db } = await buildTestApp(t);
    const query =
      TEST_DB === 'postgres'
        ? sql<{
            def: string;
          }>`select indexdef as def from pg_indexes where indexname = 'notifications_app_user_idx'`
        : sql<{
            def: string;
          }>`select sql as def from sqlite_master where name = 'notifications_app_user_idx'`;
    const { rows } = await query.execute(db);
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.def.replaceAll('"', ''), /notifications.*\(app_id, app_user_id\)/i);
  });
});
