/**
 * The members page: add by email with a role, change a role, remove, leave. Owners
 * manage everyone; admins manage admins and members but not owners; the last owner stays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { createAppViaPage, detailOf, inputValue, signedIn, submit } from './console-helpers.ts';

describe('developer console: members', () => {
  it('adds a member by email, changes the role, and removes them', async (t) => {
    const { app } = await buildTestApp(t);
    const owner = await signedIn(app, 'owner@example.com');
    const jun = await signedIn(app, 'jun@example.com');
    const id = await createAppViaPage(owner);
    const page = `/developers/apps/${id}/members`;

    const unknown = await submit(owner, page, page, { email: 'nobody@example.com', role: 'admin' });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /<a href="#email">No account uses the email “nobody@example\.com”\.<\/a>/);
    assert.equal(inputValue(unknown.body, 'email'), 'nobody@example.com');
    assert.match(unknown.body, /<option value="admin" selected>Admin<\/option>/);
    assert.equal((await detailOf(app, owner.accountId, id)).members.length, 1);

    const added = await submit(owner, page, page, { email: 'JUN@example.com', role: 'admin' });
    assert.equal(added.headers.location, `${page}?done=member_added`);
    const listed = (await owner.get(`${page}?done=member_added`)).body;
    assert.match(listed, /The member has been added/);
    assert.match(listed, /jun@example\.com/);
    assert.match((await jun.get('/developers')).body, /Demo Inc\. · Admin/);

    const again = await submit(owner, page, page, { email: 'jun@example.com', role: 'member' });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /is already a member of this app/);

    const changed = await submit(owner, page, `${page}/${jun.accountId}/role`, { role: 'member' });
    assert.equal(changed.statusCode, 303);
    const roles = (await detailOf(app, owner.accountId, id)).members.map((m) => [m.email, m.role]);
    assert.deepEqual(roles.sort(), [
      ['jun@example.com', 'member'],
      ['owner@example.com', 'owner'],
    ]);

    const removed = await submit(owner, page, `${page}/${jun.accountId}/remove`, {});
    assert.equal(removed.headers.location, `${page}?done=member_removed`);
    assert.equal((await jun.get(`/developers/apps/${id}`)).statusCode, 404);
  });

  it('lets an admin manage members but not owners, and keeps the last owner', async (t) => {
    const { app } = await buildTestApp(t);
    const owner = await signedIn(app, 'owner@example.com');
    const admin = await signedIn(app, 'admin@example.com');
    await signedIn(app, 'new@example.com');
    const id = await createAppViaPage(owner);
    const page = `/developers/apps/${id}/members`;
    await app.services.apps.addMember({ accountId: owner.accountId }, id, {
      email: 'admin@example.com',
      role: 'admin',
    });

    const shown = (await admin.get(page)).body;
    assert.doesNotMatch(shown, /<option value="owner"/);
    assert.doesNotMatch(shown, new RegExp(`members/${owner.accountId}/remove`));
    const asOwner = await submit(admin, page, page, { email: 'new@example.com', role: 'owner' });
    assert.equal(asOwner.statusCode, 403);
    const asMember = await submit(admin, page, page, { email: 'new@example.com', role: 'member' });
    assert.equal(asMember.statusCode, 303);
    const demote = await submit(admin, page, `${page}/${owner.accountId}/role`, { role: 'member' });
    assert.equal(demote.statusCode, 403);

    const lastOwnerLeaves = await submit(owner, page, `${page}/${owner.accountId}/remove`, {});
    assert.equal(lastOwnerLeaves.statusCode, 409);
    assert.match(lastOwnerLeaves.body, /An app needs at least one owner/);
    assert.equal((await detailOf(app, owner.accountId, id)).members.length, 3);

    // Anyone may leave; they land on their app list, where the app is gone.
    const left = await submit(admin, page, `${page}/${admin.accountId}/remove`, {});
    assert.equal(left.headers.location, '/developers');
    assert.doesNotMatch((await admin.get('/developers')).body, /Demo app/);
  });
});
