/**
 * Team invitations, through the real pages and API on a real database: inviting answers the same
 * whether or not the email has an account (no account enumeration), nobody is a member before
 * accepting, only the invited email's account may accept, a link works once, revoked, expired and
 * unknown links answer a readable page, and the apps policy decides who may invite whom.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { sha256 } from '../../src/lib/crypto.ts';
import { MAX_PENDING_INVITATIONS } from '../../src/modules/apps/app-invitations.ts';
import { renderMail } from '../../src/modules/mail/templates.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { confirmEmail, joinByInvitation, tokenOfInvitation } from '../helpers/team.ts';
import { createAppViaPage, detailOf, signedIn, submit } from '../http/console-helpers.ts';

const DAY = 86_400_000;

/** The link shown once on the "Invitation created" page. */
function linkOn(html: string): string {
  const link = /id="invitation-link"[^>]*value="([^"]+)"/.exec(html)?.[1];
  assert.ok(link, 'no invitation link on the page');
  return link;
}

/** What may differ between two answers: the random CSRF token and the random link. */
function withoutSecrets(html: string): string {
  return html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/\/invitations\/[A-Za-z0-9_-]{43}/g, '/invitations/TOKEN');
}

async function setup(t: Parameters<typeof buildTestApp>[0]) {
  const clock = fakeClock(Date.UTC(2026, 11, 6, 9, 0));
  const { app } = await buildTestApp(t, { clock });
  const owner = await signedIn(app, 'owner@example.com');
  const jun = await signedIn(app, 'jun@example.com');
  await confirmEmail(app, 'jun@example.com');
  const id = await createAppViaPage(owner);
  const page = `/developers/apps/${id}/members`;
  const invite = async (email: string, role = 'admin', by = owner) => {
    const res = await submit(by, page, page, { email, role });
    assert.equal(res.statusCode, 200, res.body);
    return linkOn(res.body);
  };
  return { app, clock, owner, jun, id, page, invite };
}

/** Invitations not yet answered or revoked (joinByInvitation leaves accepted ones behind). */
function pendingRows(app: FastifyInstance) {
  return app.db
    .selectFrom('app_invitations')
    .select('id')
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Invitation mails in the outbox (sign-up queues mails of its own). */
function invitationMails(app: FastifyInstance) {
  return app.db.selectFrom('mail_outbox').select(['params']).where('kind', '=', 'app_invitation').execute();
}

async function memberRoles(app: FastifyInstance, ownerId: string, appId: number) {
  const d = await detailOf(app, ownerId, appId);
  return Object.fromEntries(d.members.map((m) => [m.email, m.role]));
}

describe('team invitations: inviting', () => {
  it('answers byte-identically for an email with and without an account, mails both, and adds nobody', async (t) => {
    const { app, owner, id, page } = await setup(t);
    const existing = await submit(owner, page, page, { email: 'jun@example.com', role: 'admin' });
    const unknown = await submit(owner, page, page, { email: 'nobody@example.com', role: 'admin' });
    assert.equal(existing.statusCode, 200);
    assert.equal(unknown.statusCode, 200);
    assert.equal(existing.headers['content-type'], unknown.headers['content-type']);
    assert.match(existing.body, /Invitation created/);
    assert.equal(withoutSecrets(existing.body), withoutSecrets(unknown.body));
    assert.notEqual(linkOn(existing.body), linkOn(unknown.body));

    // Nobody joined; both wait as pending invitations.
    assert.deepEqual(await memberRoles(app, owner.accountId, id), { 'owner@example.com': 'owner' });
    const listed = (await owner.get(page)).body;
    assert.match(listed, /Pending invitations/);
    assert.match(listed, /jun@example\.com/);
    assert.match(listed, /nobody@example\.com/);

    // Each mail went into the outbox with the invitation, carrying the link shown once.
    const mails = await app.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'kind', 'params', 'locale'])
      .where('kind', '=', 'app_invitation')
      .orderBy('to_address')
      .execute();
    assert.deepEqual(
      mails.map((m) => [m.to_address, m.locale]),
      [
        ['jun@example.com', 'en'],
        ['nobody@example.com', 'en'],
      ],
    );
    const juns = JSON.parse(mails[0]!.params) as Record<string, string>;
    assert.equal(juns.url, linkOn(existing.body));
    assert.equal(juns.app_name, 'Demo app');
    assert.equal(juns.role, 'admin');

    // Only the token's SHA-256 is stored.
    const token = tokenOfInvitation(linkOn(existing.body));
    const rows = await app.db.selectFrom('app_invitations').selectAll().execute();
    assert.equal(rows.length, 2);
    assert.ok(rows.some((r) => r.token_hash === sha256(token)));
    assert.ok(!JSON.stringify(rows).includes(token));
  });

  it('answers the same through the management API, which lists and revokes invitations', async (t) => {
    const { app, owner, id } = await setup(t);
    const { token } = await app.services.developerTokens.createToken(owner.accountId);
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      app.inject({
        method,
        url: `/api/v1/apps/${id}${url}`,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        payload,
      });
    const existing = await call('POST', '/invitations', { email: 'jun@example.com', role: 'member' });
    const unknown = await call('POST', '/invitations', { email: 'nobody@example.com', role: 'member' });
    assert.equal(existing.statusCode, 201, existing.body);
    assert.equal(unknown.statusCode, 201, unknown.body);
    const shape = (body: string) => withoutSecrets(body).replace(/"id":"inv_[^"]+"/, '"id":""');
    assert.equal(shape(existing.body), shape(unknown.body));
    assert.deepEqual(Object.keys(existing.json()).sort(), ['expires_at', 'id', 'role', 'url']);

    const listed = (await call('GET', '/invitations')).json().invitations as Array<{
      id: string;
      email: string;
    }>;
    assert.deepEqual(listed.map((i) => i.email).sort(), ['jun@example.com', 'nobody@example.com']);
    assert.equal((await call('DELETE', `/invitations/${existing.json().id}`)).statusCode, 204);
    assert.equal((await call('DELETE', `/invitations/${existing.json().id}`)).statusCode, 404);
    assert.deepEqual(
      ((await call('GET', '/invitations')).json().invitations as Array<{ email: string }>).map(
        (i) => i.email,
      ),
      ['nobody@example.com'],
    );
    assert.equal(
      (await call('POST', '/members', { email: 'jun@example.com', role: 'owner' })).statusCode,
      404,
    );
  });

  it('lets only owners invite owners, refuses plain members, and keeps owner invitations from admins', async (t) => {
    const { app, owner, id, page, invite } = await setup(t);
    const admin = await signedIn(app, 'admin@example.com');
    const member = await signedIn(app, 'member@example.com');
    await joinByInvitation(app, { accountId: owner.accountId }, id, {
      email: 'admin@example.com',
      role: 'admin',
    });
    await joinByInvitation(app, { accountId: owner.accountId }, id, {
      email: 'member@example.com',
      role: 'member',
    });

    const adminOwner = await submit(admin, page, page, { email: 'x@example.com', role: 'owner' });
    assert.equal(adminOwner.statusCode, 403);
    const memberInvite = await submit(member, page, page, { email: 'x@example.com', role: 'member' });
    assert.equal(memberInvite.statusCode, 403);
    assert.doesNotMatch((await member.get(page)).body, /name="email"/);
    assert.equal((await pendingRows(app)).length, 0);

    // An owner may; an admin then sees the owner invitation but may not revoke it.
    await invite('boss@example.com', 'owner');
    const [row] = await pendingRows(app);
    const shown = (await admin.get(page)).body;
    assert.match(shown, /boss@example\.com/);
    assert.doesNotMatch(shown, new RegExp(`invitations/${row!.id}/revoke`));
    const revoke = `${page}/invitations/${row!.id}/revoke`;
    assert.equal((await submit(admin, page, revoke, {})).statusCode, 403);
    // A plain member sees no pending invitations at all.
    assert.doesNotMatch((await member.get(page)).body, /boss@example\.com/);
    assert.equal((await submit(member, page, revoke, {})).statusCode, 403);
    assert.equal((await submit(owner, page, revoke, {})).statusCode, 303);
  });

  it('refuses an invalid email or role and an email that is already a member, and saves nothing', async (t) => {
    const { app, owner, id, page } = await setup(t);
    const bad = await submit(owner, page, page, { email: 'jun@', role: 'boss' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="jun@"/);
    const self = await submit(owner, page, page, { email: 'OWNER@example.com', role: 'member' });
    assert.equal(self.statusCode, 400);
    assert.match(self.body, /is already a member of this app/);
    assert.equal((await pendingRows(app)).length, 0);
    assert.equal((await invitationMails(app)).length, 0);
    assert.deepEqual(await memberRoles(app, owner.accountId, id), { 'owner@example.com': 'owner' });
  });
  it('keeps at most 50 invitations waiting per app, so the form cannot become a bulk mailer', async (t) => {
    const { app, owner, id, page } = await setup(t);
    const actor = { accountId: owner.accountId };
    const options = { locale: 'en' as const, siteUrl: app.config.issuer };
    for (let i = 0; i < MAX_PENDING_INVITATIONS; i++)
      await app.services.apps.inviteMember(
        actor,
        id,
        { email: `p${i}@example.com`, role: 'member' },
        options,
      );
    const over = await submit(owner, page, page, { email: 'one-more@example.com', role: 'member' });
    assert.equal(over.statusCode, 400);
    assert.match(over.body, /already has 50 invitations waiting for an answer/);
    // Re-inviting an address replaces its invitation, so it is not refused.
    assert.equal(
      (await submit(owner, page, page, { email: 'p0@example.com', role: 'admin' })).statusCode,
      200,
    );
    assert.equal((await invitationMails(app)).length, MAX_PENDING_INVITATIONS + 1);
  });
});

describe('team invitations: answering', () => {
  it('sends a signed-out person to log in and back, then makes them a member with the role on Accept, once', async (t) => {
    const { app, owner, id, invite } = await setup(t);
    const link = await invite('JUN@example.com', 'admin');
    const path = new URL(link).pathname;

    const stranger = new Agent(app, { 'accept-language': 'en' });
    const signIn = await stranger.get(path);
    assert.equal(signIn.statusCode, 200);
    assert.match(signIn.body, /You have an invitation/);
    assert.doesNotMatch(signIn.body, /Demo app/);
    const next = encodeURIComponent(path);
    assert.match(signIn.body, new RegExp(`href="/login\\?next=${next}"`));
    assert.match(signIn.body, new RegExp(`href="/signup\\?next=${next}"`));
    await stranger.get(`/login?next=${next}`);
    const loggedIn = await stranger.post('/login', {
      email: 'jun@example.com',
      password: 'correct horse battery',
      next: path,
    });
    assert.equal(loggedIn.headers.location, path);

    const shown = await stranger.get(path);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Invitation to the Demo app team/);
    assert.match(shown.body, /owner invited you/);
    assert.match(shown.body, /Your role: Admin/);
    assert.match(shown.body, /<button type="submit" id="accept">Accept and join<\/button>/);
    assert.deepEqual(await memberRoles(app, owner.accountId, id), { 'owner@example.com': 'owner' });

    const withoutCsrf = await stranger.post(`${path}/accept`, { _csrf: 'forged' });
    assert.equal(withoutCsrf.statusCode, 403);
    assert.deepEqual(await memberRoles(app, owner.accountId, id), { 'owner@example.com': 'owner' });

    await stranger.get(path);
    const accepted = await stranger.post(`${path}/accept`, {});
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `/developers/apps/${id}`);
    assert.deepEqual(await memberRoles(app, owner.accountId, id), {
      'owner@example.com': 'owner',
      'jun@example.com': 'admin',
    });

    // Single use: the link now answers a page saying so, on GET and POST.
    const again = await stranger.get(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /This invitation has already been answered/);
    const replay = await stranger.post(`${path}/accept`, {});
    assert.equal(replay.statusCode, 410);
    assert.doesNotMatch(
      (await owner.get(`/developers/apps/${id}/members`)).body,
      /Pending invitations[\s\S]*jun@/,
    );
  });

  it('lets no other account accept or decline, and the invited one still can afterwards', async (t) => {
    const { app, owner, jun, id, invite } = await setup(t);
    const mina = await signedIn(app, 'mina@example.com');
    const path = new URL(await invite('jun@example.com', 'owner')).pathname;

    const seen = await mina.get(path);
    assert.equal(seen.statusCode, 403);
    assert.match(seen.body, /This invitation is for another email address/);
    assert.match(seen.body, /You are signed in as mina@example\.com/);
    assert.doesNotMatch(seen.body, /jun@example\.com/);
    assert.equal((await mina.post(`${path}/accept`, {})).statusCode, 403);
    assert.equal((await mina.post(`${path}/decline`, {})).statusCode, 403);
    assert.equal((await mina.get(`/developers/apps/${id}`)).statusCode, 404);

    await jun.get(path);
    assert.equal((await jun.post(`${path}/accept`, {})).statusCode, 303);
    assert.equal((await memberRoles(app, owner.accountId, id))['jun@example.com'], 'owner');
  });

  it('ends the invitation on Decline without making anyone a member', async (t) => {
    const { app, owner, jun, id, invite } = await setup(t);
    const path = new URL(await invite('jun@example.com')).pathname;
    await jun.get(path);
    const declined = await jun.post(`${path}/decline`, {});
    assert.equal(declined.statusCode, 200);
    assert.match(declined.body, /You declined the invitation/);
    assert.equal((await jun.post(`${path}/accept`, {})).statusCode, 410);
    assert.deepEqual(await memberRoles(app, owner.accountId, id), { 'owner@example.com': 'owner' });
  });

  it('refuses revoked, replaced, expired and unknown links with a readable page, never a 500', async (t) => {
    const { app, clock, owner, jun, id, page, invite } = await setup(t);

    const revokedPath = new URL(await invite('jun@example.com')).pathname;
    const [row] = await pendingRows(app);
    const revoked = await submit(owner, page, `${page}/invitations/${row!.id}/revoke`, {});
    assert.equal(revoked.headers.location, `${page}?done=invitation_revoked`);
    const after = (await owner.get(revoked.headers.location as string)).body;
    assert.match(after, /The invitation has been revoked/);
    assert.doesNotMatch(after, /jun@example\.com/);
    const refusedRevoked = await jun.get(revokedPath);
    assert.equal(refusedRevoked.statusCode, 410);
    assert.match(refusedRevoked.body, /This invitation was withdrawn/);
    await jun.get('/developers');
    assert.equal((await jun.post(`${revokedPath}/accept`, {})).statusCode, 410);

    // A new invitation to the same email replaces the pending one.
    const replacedPath = new URL(await invite('jun@example.com')).pathname;
    const currentPath = new URL(await invite('jun@example.com', 'member')).pathname;
    assert.equal((await jun.get(replacedPath)).statusCode, 410);
    assert.equal((await jun.get(currentPath)).statusCode, 200);

    // Seven days later the link has expired (the session is renewed by logging in again).
    clock.advance(7 * DAY + 1);
    await jun.login('jun@example.com');
    const expired = await jun.get(currentPath);
    assert.equal(expired.statusCode, 410);
    assert.match(expired.body, /This invitation has expired/);
    await jun.get('/developers');
    assert.equal((await jun.post(`${currentPath}/accept`, {})).statusCode, 410);
    await owner.login('owner@example.com');
    assert.doesNotMatch((await owner.get(page)).body, /jun@example\.com/);

    for (const bad of [
      '/invitations/nope',
      `/invitations/${'A'.repeat(43)}`,
      '/invitations/%00%ff',
      `/invitations/${'x'.repeat(5000)}`,
    ]) {
      const res = await jun.get(bad);
      // Fastify itself answers 400 for a path that is not UTF-8; either way a page, not a 500.
      assert.ok([400, 404, 414].includes(res.statusCode), `${bad}: ${res.statusCode}`);
      if (res.statusCode === 404) assert.match(res.body, /This invitation link does not work/);
    }
    await jun.get('/developers');
    assert.equal((await jun.post(`/invitations/${'A'.repeat(43)}/accept`, {})).statusCode, 404);
    assert.deepEqual(await memberRoles(app, owner.accountId, id), { 'owner@example.com': 'owner' });
  });

  it('asks an account whose address is not confirmed yet to confirm it first, then admits it', async (t) => {
    const { app, owner, id, invite } = await setup(t);
    const mina = await signedIn(app, 'mina@example.com');
    const path = new URL(await invite('mina@example.com', 'member')).pathname;
    const seen = await mina.get(path);
    assert.equal(seen.statusCode, 403);
    assert.match(seen.body, /Confirm your email address first/);
    assert.match(seen.body, /href="\/account"/);
    assert.equal((await mina.post(`${path}/accept`, {})).statusCode, 403);
    assert.equal((await memberRoles(app, owner.accountId, id))['mina@example.com'], undefined);

    await confirmEmail(app, 'mina@example.com');
    await mina.get(path);
    assert.equal((await mina.post(`${path}/accept`, {})).statusCode, 303);
    assert.equal((await memberRoles(app, owner.accountId, id))['mina@example.com'], 'member');
  });

  it('admits once when Accept and Decline race on the same link', async (t) => {
    const { app, owner, jun, id, invite } = await setup(t);
    const token = tokenOfInvitation(await invite('jun@example.com'));
    const actor = { accountId: jun.accountId };
    const answers = await Promise.all([
      app.services.apps.acceptInvitation(actor, token),
      app.services.apps.acceptInvitation(actor, token),
      app.services.apps.declineInvitation(actor, token),
    ]);
    assert.equal(answers.filter((a) => a.ok).length, 1, JSON.stringify(answers));
    assert.deepEqual(
      answers.filter((a) => !a.ok),
      [
        { ok: false, reason: 'used' },
        { ok: false, reason: 'used' },
      ],
    );
    const roles = await memberRoles(app, owner.accountId, id);
    assert.ok(answers[2]!.ok ? !roles['jun@example.com'] : roles['jun@example.com'] === 'admin');
  });

  it('no longer admits anyone on an admin’s invitation once that admin is removed', async (t) => {
    const { app, owner, jun, id, page } = await setup(t);
    const admin = await signedIn(app, 'admin@example.com');
    await joinByInvitation(app, { accountId: owner.accountId }, id, {
      email: 'admin@example.com',
      role: 'admin',
    });
    const invited = await submit(admin, page, page, { email: 'jun@example.com', role: 'member' });
    const path = new URL(linkOn(invited.body)).pathname;
    assert.equal((await submit(owner, page, `${page}/${admin.accountId}/remove`, {})).statusCode, 303);
    assert.equal((await jun.get(path)).statusCode, 410);
    assert.equal((await jun.post(`${path}/accept`, {})).statusCode, 410);
  });

  it('speaks Korean on the invitation page and in the mail', async (t) => {
    const { app, invite } = await setup(t);
    const path = new URL(await invite('jun@example.com', 'member')).pathname;
    const ko = new Agent(app, { 'accept-language': 'ko' });
    await ko.login('jun@example.com');
    const shown = await ko.get(path);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Demo app 팀 초대/);
    assert.match(shown.body, /맡게 될 역할: 멤버/);
    assert.match(shown.body, /수락하고 참여하기/);

    const [mail] = await invitationMails(app);
    const params = JSON.parse(mail!.params) as Record<string, string>;
    const ctx = { platformName: 'yeon', issuer: app.config.issuer };
    const inKorean = renderMail('app_invitation', 'ko', params, ctx);
    assert.match(inKorean.subject, /\[yeon\] owner 님이 Demo app 팀에 초대했습니다/);
    assert.match(inKorean.text, /owner 님이 yeon에서 Demo app 앱을 함께 관리하자고 초대했습니다/);
    assert.ok(inKorean.text.includes(params.url!));
    assert.ok(inKorean.html.includes(params.url!));
    assert.doesNotMatch(inKorean.text, /\(을\)|\(를\)|을\(를\)/);
    const inEnglish = renderMail('app_invitation', 'en', params, ctx);
    assert.match(inEnglish.subject, /owner invited you to the Demo app team/);
    assert.match(inEnglish.text, /Role: Member|Your role: Member/);
  });
});
