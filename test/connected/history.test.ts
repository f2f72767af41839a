/**
 * The person's history with each app: a person links Shop, withdraws the email item, agrees to it
 * again, asks Shop to delete everything, and does the same round twice more. The history page tells
 * it as one group for Shop, in words, with the repeats collapsed; the JSON download holds every event
 * with ISO times and nothing of another person; the CSV download parses back (RFC 4180) to the same
 * records, starts with the UTF-8 BOM, and an app named "=cmd()" cannot run as a formula.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { formatDateIn } from '../../src/i18n/dates.ts';
import { fakeClock } from '../../src/lib/clock.ts';
import { CSV_COLUMNS, type HistoryExport } from '../../src/modules/connections/history-export.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createDeveloperApp, PASSWORD } from './fixtures.ts';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 3, 1, 0);
/** 17:21 in Seoul, when the app confirms the first deletion. */
const CONFIRMED_AT = Date.UTC(2026, 10, 3, 8, 21);
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

async function setupHistory(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(START);
  const { app, db } = await buildTestApp(t, { clock });
  const owner = await app.services.accounts.signUp({
    email: `dev-${randomBytes(3).toString('hex')}@example.com`,
    password: PASSWORD,
    nickname: 'Developer',
  });
  const shop = await createDeveloperApp(app, owner.id, {
    name: 'Shop',
    unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
  });
  // Shop asked to hear of withdrawals: that notice is what keeps a withdrawal the person undid.
  await db
    .updateTable('apps')
    .set({ unlink_format: 'json', notify_events: '["user.scope_withdrawn"]' })
    .where('id', '=', shop.app_id)
    .execute();
  await db
    .insertInto('app_icons')
    .values({
      app_id: shop.app_id,
      content_type: 'image/png',
      data_base64: PNG_1PX,
      byte_size: 70,
      updated_at: START,
    })
    .execute();
  const formula = await createDeveloperApp(app, owner.id, { name: '=cmd()' });

  const email = `person-${randomBytes(3).toString('hex')}@example.com`;
  const agent = new Agent(app, { 'accept-language': 'ko' });
  await agent.signUp(email, PASSWORD, 'Person');
  const person = (await app.services.accounts.getByEmail(email))!;
  const both = ['profile_nickname', 'account_email'];
  const base = `/account/connected-services/${shop.app_id}`;
  const deleteAll = async () => {
    clock.advance(HOUR);
    await agent.get(`${base}/delete-all`);
    const res = await agent.post(`${base}/delete-all`, {});
    assert.equal(res.statusCode, 303);
  };

  await app.services.connections.agree({ accountId: person.id, appId: shop.app_id, items: both });
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
  await deleteAll();
  for (let round = 0; round < 2; round++) {
    clock.advance(HOUR);
    await app.services.connections.agree({ accountId: person.id, appId: shop.app_id, items: both });
    await deleteAll();
  }
  clock.advance(HOUR);
  await app.services.connections.agree({
    accountId: person.id,
    appId: formula.app_id,
    items: ['profile_nickname'],
  });
  // The app confirms the first deletion.
  const [first] = await db
    .selectFrom('notifications')
    .select('id')
    .where('app_id', '=', shop.app_id)
    .where('event_type', '=', 'user.unlinked')
    .orderBy('created_at')
    .execute();
  await db
    .updateTable('notifications')
    .set({ deletion_confirmed_at: CONFIRMED_AT, deletion_confirmation_code: 'DEL-1' })
    .where('id', '=', first!.id)
    .execute();

  // Someone else at the same app, whose history must never show up in the person's.
  clock.advance(HOUR);
  const other = await app.services.accounts.signUp({
    email: `other-${randomBytes(3).toString('hex')}@example.com`,
    password: PASSWORD,
    nickname: 'Other',
  });
  const otherLink = await app.services.connections.agree({
    accountId: other.id,
    appId: shop.app_id,
    items: both,
  });
  const otherWithdrawnAt = clock.now() + 7 * 60_000;
  clock.set(otherWithdrawnAt);
  await app.services.connections.withdraw({ accountId: other.id, appId: shop.app_id, item: 'account_email' });
  return { app, db, clock, agent, person, other, otherLink, otherWithdrawnAt, shop, formula, withdrawnAt };
}

describe('connection history and its download', () => {
  test('the history shows one group per app with its icon, the events in words, repeats collapsed', async (t) => {
    const { agent, shop, formula } = await setupHistory(t);
    const res = await agent.get('/account/history');
    assert.equal(res.statusCode, 200);
    const groups = res.body.match(/<li class="stack history-group" data-app-id="(\d+)"/g) ?? [];
    // Newest activity first: the =cmd() link came after Shop's last deletion.
    assert.deepEqual(
      groups.map((g) => Number(/data-app-id="(\d+)"/.exec(g)![1])),
      [formula.app_id, shop.app_id],
    );
    const shopGroup = res.body.slice(res.body.indexOf(`data-app-id="${shop.app_id}"`));
    assert.match(shopGroup, new RegExp(`<img src="/apps/${shop.app_id}/icon"`));
    assert.match(shopGroup, new RegExp(`Shop에 처음 연결함 · ${formatDateIn('ko', 'date', START)}<`));
    assert.match(
      shopGroup,
      /data-event="linked_again" data-count="2">[^<]*<span class="block">다시 연결함 · 2번, 마지막 /,
    );
    assert.match(
      shopGroup,
      /data-event="withdrawn" data-count="1">[^<]*<span class="block">이메일 주소 제공 동의를 철회함 · /,
    );
    assert.match(
      shopGroup,
      /data-event="agreed" data-count="3">[^<]*<span class="block">닉네임, 이메일 주소 제공에 동의함 · 3번/,
    );
    // The re-consent to the email alone, told once.
    assert.equal(shopGroup.match(/>이메일 주소 제공에 동의함 · /g)?.length, 1);
    // Two requests with the same outcome collapse; the confirmed one keeps its own line.
    assert.match(
      shopGroup,
      /data-event="unlinked" data-count="2">[^<]*<span class="block">모든 정보 삭제를 요청함 · 2번/,
    );
    assert.match(
      shopGroup,
      new RegExp(
        `data-event="unlinked" data-count="1"><span class="block">모든 정보 삭제를 요청함 · ${formatDateIn('ko', 'date', START + 3 * HOUR)} — 앱이 삭제를 확인함 ${formatDateIn('ko', 'dateTime', CONFIRMED_AT)}<[\\s\\S]*?확인 코드: DEL-1`,
      ),
    );
    const shown = shopGroup.slice(0, shopGroup.indexOf('</ul>')).replace(/<[^>]+>/g, ' ');
    assert.doesNotMatch(shown, /callback|webhook|scope|token|콜백|웹훅|토큰|스코프/i);

    const list = await agent.get('/account/connected-services');
    const previous = list.body.slice(list.body.indexOf('id="previous-apps"'));
    assert.equal(previous.match(new RegExp(`data-app-id="${shop.app_id}"`, 'g'))?.length, 1);
    assert.match(list.body, /href="\/account\/history"/);
    assert.match(list.body, /href="\/account\/history\/download.json"/);
    assert.match(list.body, /href="\/account\/history\/download.csv"/);
  });

  test('the JSON download holds every event with ISO times, and nothing of another person', async (t) => {
    const { app, agent, clock, other, otherLink, otherWithdrawnAt, shop, withdrawnAt } =
      await setupHistory(t);
    const res = await agent.get('/account/history/download.json');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json; charset=utf-8/);
    const day = new Date(clock.now()).toISOString().slice(0, 10).replaceAll('-', '');
    assert.equal(res.headers['content-disposition'], `attachment; filename="yeon-history-${day}.json"`);
    assert.equal(res.headers['cache-control'], 'no-store');
    const data = res.json() as HistoryExport;
    const shopLinks = data.links.filter((l) => l.app_id === shop.app_id);
    assert.equal(shopLinks.length, 3);
    assert.ok(shopLinks.every((l) => l.first_linked_at === new Date(START).toISOString() && l.unlinked_at));
    assert.deepEqual(
      data.unlinks.map((u) => u.kind),
      ['delete_all_data', 'delete_all_data', 'delete_all_data'],
    );
    const email = data.consents.filter((c) => c.app_id === shop.app_id && c.item === 'account_email');
    assert.deepEqual(
      email.map((c) => [c.action, c.at]),
      [
        // The first agreement is kept by its consent event after the re-agreement overwrote the row.
        ['given', new Date(START).toISOString()],
        ['given', new Date(START + 2 * HOUR).toISOString()],
        ['withdrawn', new Date(withdrawnAt).toISOString()],
        ...[4, 6].map((h) => ['given', new Date(START + h * HOUR).toISOString()]),
      ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
    );
    assert.deepEqual(
      data.notifications.map((n) => [n.event, n.state, n.attempts]),
      [
        ['user.scope_withdrawn', 'pending', 0],
        ['user.unlinked', 'pending', 0],
        ['user.unlinked', 'pending', 0],
        ['user.unlinked', 'pending', 0],
      ],
    );
    assert.equal(data.notifications[1]!.receipt_code, 'DEL-1');
    const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    const times = [
      ...data.links.flatMap((l) => [l.linked_at, l.first_linked_at, l.last_activity_at, l.unlinked_at]),
      ...data.consents.map((c) => c.at),
      ...data.unlinks.map((u) => u.at),
      ...data.notifications.flatMap((n) => [n.created_at, n.delivered_at, n.receipt_confirmed_at]),
    ].filter((v) => v !== null);
    for (const v of times) assert.match(v as string, isoTime);
    // Nothing of the other person at the same app.
    assert.ok(!data.consents.some((c) => c.at === new Date(otherWithdrawnAt).toISOString()));
    assert.ok(!res.body.includes(other.id) && !res.body.includes(String(otherLink.appUserId)));
    const anonymous = await app.inject({ method: 'GET', url: '/account/history/download.json' });
    assert.notEqual(anonymous.statusCode, 200);
  });

  test('the CSV download parses back to the same records, starts with the BOM and neutralizes formulas', async (t) => {
    const { agent, formula } = await setupHistory(t);
    const json = (await agent.get('/account/history/download.json')).json() as HistoryExport;
    const res = await agent.get('/account/history/download.csv');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
    assert.match(
      res.headers['content-disposition'] as string,
      /^attachment; filename="yeon-history-\d{8}\.csv"$/,
    );
    const bytes = res.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.toString('utf8').slice(1));
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const cell = (row: string[], column: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(column)];
    const text = (name: string) => (name.startsWith('=') ? `'${name}` : name);
    const expected = [
      ...json.links.map((l) => ['link', l.app_id, text(l.app), '', l.linked_at]),
      ...json.consents.map((c) => [`consent_${c.action}`, c.app_id, text(c.app), c.item, c.at]),
      ...json.unlinks.map((u) => ['unlink', u.app_id, text(u.app), u.kind, u.at]),
      ...json.notifications.map((n) => ['notification', n.app_id, text(n.app), n.event, n.created_at]),
    ].map((r) => r.map(String));
    assert.deepEqual(
      rows.map((r) => [cell(r, 'record'), cell(r, 'app_id'), cell(r, 'app'), cell(r, 'what'), cell(r, 'at')]),
      expected,
    );
    const formulaRow = rows.find((r) => cell(r, 'app_id') === String(formula.app_id))!;
    assert.equal(cell(formulaRow, 'app'), "'=cmd()");
    assert.ok(rows.every((r) => r.length === CSV_COLUMNS.length));
    assert.ok(rows.every((r) => r.every((c) => !/^[=+\-@]/.test(c))));
  });
});
