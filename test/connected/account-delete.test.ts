/**
 * Account deletion: password again and a confirmation; then every app unlinked in one
 * transaction (ACCOUNT_DELETE only for apps with a callback), every OAuth row and the account row
 * gone for real, the session ended, a goodbye page. The only owner of an app is refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deleteAccount } from '../../src/modules/accounts/account-deletion.ts';
import { Agent } from '../helpers/agent.ts';
import { createDeveloperApp, notificationsOf, PASSWORD, setupConnected, userMe } from './fixtures.ts';

describe('account deletion', () => {
  test('refuses without the password or the checkbox, and deletes nothing', async (t) => {
    const { app, agent, person } = await setupConnected(t);
    const page = await agent.get('/account/delete');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Connected apps now: 2/);
    assert.match(page.body, /type="checkbox" id="confirm" name="confirm"/);

    const noBox = await agent.post('/account/delete', { password: PASSWORD });
    assert.equal(noBox.statusCode, 400);
    assert.match(noBox.body, /Tick the box to confirm/);
    const wrong = await agent.post('/account/delete', { password: 'not my password', confirm: '1' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /id="password-error"/);
    assert.ok(await app.services.accounts.getById(person.id));
    assert.equal((await agent.get('/account')).statusCode, 200);
  });

  test('deletes for real: links unlinked, one ACCOUNT_DELETE row per app with a callback, tokens and rows gone', async (t) => {
    const { app, db, agent, person, email, case1, case2, link1, token1, token2 } = await setupConnected(t);
    await agent.get('/account/delete');
    const res = await agent.post('/account/delete', { password: PASSWORD, confirm: '1' });
    assert.equal(res.statusCode, 303);
    // Case 1 was told, so the goodbye page is the deletion receipt, opened by its link.
    assert.match(String(res.headers.location), /^\/account\/deleted\/[A-Za-z0-9_-]{43}$/);
    const bye = await agent.get(String(res.headers.location));
    assert.equal(bye.statusCode, 200);
    assert.match(bye.body, /Your account has been deleted/);

    // Exactly the right notifications: case 1 is told, case 2 (no callback) cannot be.
    const n1 = await notificationsOf(db, case1.app_id);
    assert.deepEqual(
      n1.map((r) => [r.event_type, r.referrer_type, r.app_user_id, r.status]),
      [['user.unlinked', 'ACCOUNT_DELETE', link1.appUserId, 'pending']],
    );
    assert.deepEqual(await notificationsOf(db, case2.app_id), []);

    // Nothing of the person is left.
    assert.equal(await app.services.accounts.getById(person.id), undefined);
    assert.equal(await app.services.accounts.getByEmail(email), undefined);
    for (const table of ['sessions', 'connections', 'app_user_ids', 'oidc_payloads'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('account_id')
        .where('account_id', '=', person.id)
        .execute();
      assert.deepEqual(rows, [], table);
    }
    const consents = await db.selectFrom('connection_consents').select('connection_id').execute();
    assert.deepEqual(consents, []);
    for (const token of [token1, token2]) {
      const me = await userMe(app, token);
      assert.equal(me.status, 401);
      assert.equal(me.body.code, -401);
    }

    // The browser session is over: the account pages ask for a login again, and logging in fails.
    const account = await agent.get('/account');
    assert.equal(account.statusCode, 303);
    const login = await agent.login(email);
    assert.equal(login.statusCode, 401);
    // The same email can sign up again as a new person.
    const fresh = new Agent(app, { 'accept-language': 'en' });
    assert.equal((await fresh.signUp(email)).statusCode, 303);
  });

  test("refuses while the person is an app's only owner; a co-owned app is fine", async (t) => {
    const { app, db, person, owner } = await setupConnected(t);
    const mine = await createDeveloperApp(app, person.id, { name: 'My Own App' });
    const deps = app.services;
    const input = {
      accountId: person.id,
      password: PASSWORD,
      confirmed: true,
      ip: '127.0.0.1',
      trustedDevice: true,
    };
    await assert.rejects(deleteAccount(deps, input), (err: { code?: string; params?: { apps?: string } }) => {
      assert.equal(err.code, 'account_sole_owner');
      assert.equal(err.params?.apps, 'My Own App');
      return true;
    });
    assert.ok(await app.services.accounts.getById(person.id));
    // Hand the app to a second owner: now the account can go, and the app stays with its owner.
    await db
      .insertInto('app_members')
      .values({ app_id: mine.app_id, account_id: owner.id, role: 'owner', created_at: Date.now() })
      .execute();
    const result = await deleteAccount(deps, input);
    assert.equal(result.unlinkedApps.length, 2);
    assert.equal(result.notificationIds.length, 1);
    const members = await db
      .selectFrom('app_members')
      .select('account_id')
      .where('app_id', '=', mine.app_id)
      .execute();
    assert.deepEqual(members, [{ account_id: owner.id }]);
  });

  test('the page shows the sole-owner refusal', async (t) => {
    const { app, agent, person } = await setupConnected(t);
    await createDeveloperApp(app, person.id, { name: 'Solo App' });
    await agent.get('/account/delete');
    const res = await agent.post('/account/delete', { password: PASSWORD, confirm: '1' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /only owner of these apps: Solo App/);
  });
});
