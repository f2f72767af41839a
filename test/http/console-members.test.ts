/**
 * The members page: invite by email with a role (the person joins by accepting), change a role,
 * remove, leave. Owners manage everyone; admins manage admins and members but not owners; the
 * last owner stays. Invitations themselves are tested in test/console/invitations.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { confirmEmail, joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, detailOf, inputValue, signedIn, submit } from './console-helpers.ts';

describe('developer console: members', () => {
  it('invites by email, and once accepted changes the role and removes the member', async (t) => {
    const { app } = await buildTestApp(t);
    const owner = await signedIn(app, 'owner@example.com');
    const jun = await signedIn(app, 'jun@example.com');
    await confirmEmail(app, 'jun@example.com');
    const id = await createAppViaPage(owner);
    const page = `/developers/apps/${id}/members`;

    const invalid = await submit(owner, page, page, { email: 'not an email', role: 'admin' });
    assert.equal(invalid.statusCode, 400);
    assert.equal(inputValue(invalid.body, 'email'), 'not an email');
    assert.match(invalid.body, /<option value="admin" selected>Admin<\/option>/);

    const invited = await submit(owner, page, page, { email: 'JUN@example.com', role: 'admin' });
    assert.equal(invited.statusCode, 200);
    assert.match(invited.body, /Invitation created/);
    const link = /id="invitation-link"[^>]*value="([^"]+)"/.exec(invited.body)?.[1];
    assert.ok(link);
    assert.equal((await detailOf(app, owner.accountId, id)).members.length, 1);
    assert.match((await owner.get(page)).body, /JUN@example\.com/);

    await jun.get(new URL(link).pathname);
    const accepted = await jun.post(`${new URL(link).pathname}/accept`, {});
    assert.equal(accepted.headers.location, `/developers/apps/${id}`);
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
    await joinByInvitation(app, { accountId: owner.accountId }, id, {
      email: 'admin@example.com',
      role: 'admin',
    });

    const shown = (await admin.get(page)).body;
    assert.doesNotMatch(shown, /<option value="owner"/);
    assert.doesNotMatch(shown, new RegExp(`members/${owner.accountId}/remove`));
    const asOwner = await submit(admin, page, page, { email: 'new@example.com', role: 'owner' });
    assert.equal(asOwner.statusCode, 403);
    const asMember = await submit(admin, page, page, { email: 'new@example.com', role: 'member' });
    assert.equal(asMember.statusCode, 200);
    assert.match(asMember.body, /Invitation created/);
    const demote = await submit(admin, page, `${page}/${owner.accountId}/role`, { role: 'member' });
    assert.equal(demote.statusCode, 403);

    const lastOwnerLeaves = await submit(owner, page, `${page}/${owner.accountId}/remove`, {});
    assert.equal(lastOwnerLeaves.statusCode, 409);
    assert.match(lastOwnerLeaves.body, /An app needs at least one owner/);
    assert.equal((await detailOf(app, owner.accountId, id)).members.length, 2);

    // Anyone may leave; they land on their app list, where the app is gone.
    const left = await submit(admin, page, `${page}/${admin.accountId}/remove`, {});
    assert.equal(left.headers.location, '/developers');
    assert.doesNotMatch((await admin.get('/developers')).body, /Demo app/);
  });
});
