/**
 * The overview page's actions: admin key rotate/revoke (which key is current is
 * shown), client secret on/off and regenerate, the icon upload (multipart, CSRF checked before
 * the file, PNG/JPEG up to 1 MB), and deleting the app with a typed confirmation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { joinByInvitation } from '../helpers/team.ts';
import { createAppViaPage, detailOf, signedIn, submit } from './console-helpers.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A multipart POST as a browser sends the icon form: `_csrf` first, then the file. */
function uploadIcon(
  agent: Agent,
  appId: number,
  file: { data: Buffer; type: string; name?: string },
  options: { csrf?: string; csrfFirst?: boolean } = {},
) {
  const boundary = '----yeon-test-boundary';
  const csrfPart = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${options.csrf ?? agent.csrf()}\r\n`,
  );
  const filePart = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="icon"; filename="${file.name ?? 'icon.png'}"\r\n` +
        `Content-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from('\r\n'),
  ]);
  const parts = options.csrfFirst === false ? [filePart, csrfPart] : [csrfPart, filePart];
  const payload = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
  return agent.app.inject({
    method: 'POST',
    url: `/developers/apps/${appId}/icon`,
    payload,
    headers: {
      accept: 'text/html',
      'accept-language': 'en',
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

describe('developer console: credentials and basics actions', () => {
  it('rotates the admin key, shows which is current, revokes the old one, refuses to revoke the last', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}`;
    const first = (await detailOf(app, mina.accountId, id)).keys.admin[0]!;

    const rotated = await submit(mina, page, `${page}/admin-keys/rotate`, {});
    assert.equal(rotated.headers.location, `${page}?done=admin_rotated`);
    const keys = (await detailOf(app, mina.accountId, id)).keys.admin;
    assert.equal(keys.length, 2);
    const shown = (await mina.get(`${page}?done=admin_rotated`)).body;
    assert.match(shown, /The older key keeps working until you revoke it/);
    // The newest key is listed first and marked current; only the older one has a revoke button.
    assert.ok(shown.indexOf(keys[0]!.key!) < shown.indexOf(first.key!));
    assert.ok(shown.indexOf('Current key') < shown.indexOf(keys[0]!.key!));
    assert.ok(shown.indexOf('Older key, valid until revoked') < shown.indexOf(first.key!));
    assert.equal((shown.match(/name="key_id"/g) ?? []).length, 1);
    assert.match(shown, new RegExp(`name="key_id" value="${first.id}"`));

    const revoked = await mina.post(`${page}/admin-keys/revoke`, { key_id: first.id });
    assert.equal(revoked.headers.location, `${page}?done=admin_revoked`);
    assert.deepEqual(
      (await detailOf(app, mina.accountId, id)).keys.admin.map((k) => k.id),
      [keys[0]!.id],
    );
    const last = await submit(mina, page, `${page}/admin-keys/revoke`, { key_id: keys[0]!.id });
    assert.equal(last.statusCode, 409);
    assert.match(last.body, /An app needs at least one admin key/);
    assert.equal((await detailOf(app, mina.accountId, id)).keys.admin.length, 1);
  });

  it('turns the client secret on and off and regenerates it', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    const page = `/developers/apps/${id}`;
    const before = (await detailOf(app, mina.accountId, id)).client_secret;
    assert.equal(before.enabled, false);
    assert.match((await mina.get(page)).body, /Off: public client\./);

    assert.equal((await mina.post(`${page}/client-secret`, { enabled: '1' })).statusCode, 303);
    assert.equal((await detailOf(app, mina.accountId, id)).client_secret.enabled, true);
    const on = (await mina.get(page)).body;
    assert.match(on, /On: token requests must send the client secret\./);
    assert.match(on, /Turn the client secret off/);
    assert.ok(on.includes(before.value!));

    const regen = await mina.post(`${page}/client-secret/regenerate`, {});
    assert.equal(regen.headers.location, `${page}?done=secret_regenerated`);
    const after = (await detailOf(app, mina.accountId, id)).client_secret;
    assert.notEqual(after.value, before.value);
    assert.equal(after.enabled, true);
    await mina.get(page);
    await mina.post(`${page}/client-secret`, { enabled: '0' });
    assert.equal((await detailOf(app, mina.accountId, id)).client_secret.enabled, false);
  });

  it('uploads a PNG icon, serves it to members only, and removes it', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    await mina.get(`/developers/apps/${id}`);
    const res = await uploadIcon(mina, id, { data: PNG, type: 'image/png' });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/developers/apps/${id}?done=icon_updated`);
    const page = (await mina.get(`/developers/apps/${id}`)).body;
    assert.match(
      page,
      new RegExp(`<img class="app-icon" src="/developers/apps/${id}/icon\\?v=\\d+" alt="Icon of Demo app"`),
    );
    const icon = await mina.get(`/developers/apps/${id}/icon`);
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['content-type'], 'image/png');
    assert.deepEqual(icon.rawPayload, PNG);
    const stranger = await signedIn(app, 'stranger@example.com');
    assert.equal((await stranger.get(`/developers/apps/${id}/icon`)).statusCode, 404);

    await mina.get(`/developers/apps/${id}`);
    const removed = await mina.post(`/developers/apps/${id}/icon/remove`, {});
    assert.equal(removed.headers.location, `/developers/apps/${id}?done=icon_removed`);
    assert.equal((await detailOf(app, mina.accountId, id)).icon, null);
  });

  it('refuses a non-image, a file over 1 MB, and an upload without or after the CSRF token', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina);
    await mina.get(`/developers/apps/${id}`);

    const text = await uploadIcon(mina, id, {
      data: Buffer.from('<svg/>'),
      type: 'image/png',
      name: 'x.png',
    });
    assert.equal(text.statusCode, 400);
    assert.match(text.body, /<a href="#icon">The icon must be a PNG or JPEG image\.<\/a>/);

    const big = Buffer.concat([PNG, Buffer.alloc(1_048_576)]);
    const tooBig = await uploadIcon(mina, id, { data: big, type: 'image/png' });
    assert.equal(tooBig.statusCode, 400);
    assert.match(tooBig.body, /The icon must be at most 1 MB/);

    const noToken = await uploadIcon(mina, id, { data: PNG, type: 'image/png' }, { csrf: 'forged' });
    assert.equal(noToken.statusCode, 403);
    const fileFirst = await uploadIcon(mina, id, { data: PNG, type: 'image/png' }, { csrfFirst: false });
    assert.equal(fileFirst.statusCode, 403);
    assert.equal((await detailOf(app, mina.accountId, id)).icon, null);

    // Members may not change the icon; strangers do not learn the app exists.
    const member = await signedIn(app, 'member@example.com');
    await joinByInvitation(app, { accountId: mina.accountId }, id, {
      email: 'member@example.com',
      role: 'member',
    });
    await member.get(`/developers/apps/${id}`);
    assert.equal((await uploadIcon(member, id, { data: PNG, type: 'image/png' })).statusCode, 403);
    assert.equal((await uploadIcon(member, id, { data: big, type: 'image/png' })).statusCode, 403);
    const stranger = await signedIn(app, 'stranger@example.com');
    await stranger.get('/developers');
    assert.equal((await uploadIcon(stranger, id, { data: PNG, type: 'image/png' })).statusCode, 404);
    assert.equal((await detailOf(app, mina.accountId, id)).icon, null);
  });

  it('deletes the app only when its name is typed to confirm', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const id = await createAppViaPage(mina, 'Keep me');
    const page = `/developers/apps/${id}`;
    const wrong = await submit(mina, page, `${page}/delete`, { confirm_name: 'keep me' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /<a href="#confirm_name">Type the app name exactly as shown to confirm\.<\/a>/);
    assert.equal((await app.services.apps.listAppsForAccount({ accountId: mina.accountId })).length, 1);

    const ok = await submit(mina, page, `${page}/delete`, { confirm_name: 'Keep me' });
    assert.equal(ok.headers.location, '/developers?done=deleted');
    assert.deepEqual(await app.services.apps.listAppsForAccount({ accountId: mina.accountId }), []);
    assert.match((await mina.get('/developers?done=deleted')).body, /The app has been deleted/);
    assert.equal((await mina.get(page)).statusCode, 404);
  });
});
