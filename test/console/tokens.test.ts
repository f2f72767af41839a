/**
 * The console's API tokens page through the real pages and API on a real database: a token made
 * there is shown once and works on the management API, the list says when it was last used and
 * when it expires, and revoking it there shuts the API at once. The expiry is picked from 30, 90
 * (preselected), 365 days or never; once it has passed, the API refuses the token and the list says
 * "Expired". Someone else's token is not found, a bad name, an expiry that is not a choice or one
 * token too many is shown again with the issue, and the page exists in both languages with no raw
 * message key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { fakeClock } from '../../src/lib/clock.ts';
import { MAX_LIVE_TOKENS } from '../../src/modules/developer-tokens/developer-tokens.service.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';
import { inputValue, signedIn, submit } from '../http/console-helpers.ts';

const PAGE = '/developers/tokens';
const DAY = 86_400_000;

/** The text of the "Expires" entry on the list. */
function expiresOn(html: string): string | undefined {
  return /<dt>Expires<\/dt>\s*<dd>([^<]*)<\/dd>/.exec(html)?.[1]?.trim();
}

/** The value in the read-only "new token" field. */
function tokenOn(html: string): string {
  const token = /id="new-token"[^>]*value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token, 'no new token on the page');
  return token;
}

function callApi(app: FastifyInstance, token: string) {
  return app.inject({ method: 'GET', url: '/api/v1/apps', headers: { authorization: `Bearer ${token}` } });
}

/** The revoke form's action for the token named `name` on the list. */
function revokeActionFor(html: string, name: string): string {
  const id = new RegExp(`<strong id="token-([^"]+)">${name}</strong>`).exec(html)?.[1];
  assert.ok(id, `no token named ${name} on the list`);
  return `${PAGE}/${id}/revoke`;
}

describe('developer console: API tokens page', () => {
  it('creates a token shown once, which works on the API, shows its last use, and stops when revoked', async (t) => {
    const clock = fakeClock(Date.UTC(2026, 11, 6, 9, 0));
    const { app } = await buildTestApp(t, { clock });
    const mina = await signedIn(app, 'mina@example.com');

    const empty = await mina.get(PAGE);
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /You have no tokens yet\./);
    assert.match(empty.body, /href="\/developers\/tokens" aria-current="page"/);

    // The expiry is a labelled select of the four choices, 90 days preselected.
    assert.match(empty.body, /<label for="expires_in_days">Expires after<\/label>/);
    assert.deepEqual(
      [...empty.body.matchAll(/<option value="([^"]+)"( selected)?/g)].map((m) => `${m[1]}${m[2] ?? ''}`),
      ['30', '90 selected', '365', 'never'],
    );

    const made = await submit(mina, PAGE, PAGE, { name: 'Deploy script', expires_in_days: '30' });
    assert.equal(made.statusCode, 200, made.body);
    assert.equal(made.headers['cache-control'], 'no-store');
    const token = tokenOn(made.body);
    assert.match(token, /^yeon_dt_/);
    assert.match(made.body, /shown only this once/);
    assert.match(made.body, /It works until Jan 5, 2027/);

    const listed = await mina.get(PAGE);
    assert.ok(!listed.body.includes(token), 'the list never shows the token again');
    assert.match(listed.body, /Deploy script/);
    assert.match(listed.body, /Never used/);
    assert.match(expiresOn(listed.body) ?? '', /^Jan 5, 2027/);

    clock.advance(5 * 60_000);
    assert.equal((await callApi(app, token)).statusCode, 200);
    const used = await mina.get(PAGE);
    assert.doesNotMatch(used.body, /Never used/);
    assert.match(used.body, /Last used<\/dt><dd>[^<]*9:05/);

    const revoked = await mina.post(revokeActionFor(used.body, 'Deploy script'), {});
    assert.equal(revoked.statusCode, 303);
    assert.equal(revoked.headers.location, `${PAGE}?done=revoked`);
    assert.equal((await callApi(app, token)).statusCode, 401);
    const after = await mina.get(String(revoked.headers.location));
    assert.match(after.body, /Token revoked\. Requests made with it are now refused\./);
    assert.match(after.body, /You have no tokens yet\./);
  });

  it('an expired token is refused by the API at once and listed as expired; "never" never expires', async (t) => {
    const clock = fakeClock(Date.UTC(2026, 11, 6, 9, 0));
    const { app } = await buildTestApp(t, { clock });
    const mina = await signedIn(app, 'mina@example.com');
    const yearly = tokenOn((await submit(mina, PAGE, PAGE, { name: 'Yearly', expires_in_days: '365' })).body);
    const forever = tokenOn(
      (await submit(mina, PAGE, PAGE, { name: 'Forever', expires_in_days: 'never' })).body,
    );
    assert.match((await mina.get(PAGE)).body, /<dt>Expires<\/dt>\s*<dd>Never \(until revoked\)<\/dd>/);

    clock.advance(365 * DAY - 1);
    assert.equal((await callApi(app, yearly)).statusCode, 200);
    clock.advance(1);
    assert.equal((await callApi(app, yearly)).statusCode, 401);
    assert.equal((await callApi(app, forever)).statusCode, 200);
    // A year on, the browser's session has long ended: sign in again to read the list.
    assert.equal((await mina.login('mina@example.com')).statusCode, 303);
    const list = (await mina.get(PAGE)).body;
    assert.match(list, /<dd>Expired on Dec 6, 2027[^<]*<\/dd>/);
    // Still listed, so it can be revoked and the list tidied.
    const revoked = await mina.post(revokeActionFor(list, 'Yearly'), {});
    assert.equal(revoked.statusCode, 303);
    assert.doesNotMatch((await mina.get(PAGE)).body, /Yearly/);
  });

  it('shows an expiry that is not one of the choices again with the issue, and creates nothing', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    for (const bad of ['45', '0', '30d', 'forever', '\u0000']) {
      const res = await submit(mina, PAGE, PAGE, { name: 'Odd', expires_in_days: bad });
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
      assert.match(res.body, /<a href="#expires_in_days">Choose 30, 90 or 365 days, or never\.<\/a>/);
      assert.match(res.body, /<select id="expires_in_days" name="expires_in_days" aria-invalid="true"/);
      assert.equal(inputValue(res.body, 'name'), 'Odd');
      assert.doesNotMatch(res.body, /id="new-token"/);
    }
    assert.deepEqual(await app.services.developerTokens.listTokens(mina.accountId), []);
  });

  it("answers not found for someone else's token, which keeps working", async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const jun = await signedIn(app, 'jun@example.com');
    const made = await submit(mina, PAGE, PAGE, { name: 'Mine' });
    const token = tokenOn(made.body);
    const action = revokeActionFor((await mina.get(PAGE)).body, 'Mine');

    await jun.get(PAGE);
    const res = await jun.post(action, {});
    assert.equal(res.statusCode, 404);
    assert.doesNotMatch((await jun.get(PAGE)).body, /Mine/);
    assert.equal((await callApi(app, token)).statusCode, 200);
    for (const id of ['not-a-token', '\u0000', "x' OR '1'='1", 'é'.repeat(40)]) {
      const res = await jun.post(`${PAGE}/${encodeURIComponent(id)}/revoke`, {});
      assert.equal(res.statusCode, 404, `revoking ${JSON.stringify(id)}`);
    }
  });

  it('shows a too-long name again with the issue and creates nothing', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const long = 'n'.repeat(61);
    const res = await submit(mina, PAGE, PAGE, { name: long });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<a href="#name">Use at most 60 characters\.<\/a>/);
    assert.equal(inputValue(res.body, 'name'), long);
    assert.doesNotMatch(res.body, /id="new-token"/);
    assert.deepEqual(await app.services.developerTokens.listTokens(mina.accountId), []);
  });

  it('says so when the account already holds the most tokens it may, and creates nothing', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    const tokens = app.services.developerTokens;
    for (let i = 0; i < MAX_LIVE_TOKENS; i++) await tokens.createToken(mina.accountId, `script ${i}`);
    const res = await submit(mina, PAGE, PAGE, { name: 'one more' });
    assert.equal(res.statusCode, 400);
    assert.match(
      res.body,
      new RegExp(`You already have ${MAX_LIVE_TOKENS} tokens\\. Revoke one you no longer use first\\.`),
    );
    assert.equal((await tokens.listTokens(mina.accountId)).length, MAX_LIVE_TOKENS);

    // The management API shares the cap, and answers it as a client error.
    const [first] = await tokens.listTokens(mina.accountId);
    await tokens.revokeToken(mina.accountId, first!.id);
    const { token } = await tokens.createToken(mina.accountId, 'api');
    const api = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'one more' },
    });
    assert.equal(api.statusCode, 400, api.body);
    assert.match(api.body, /validation_failed/);
  });

  it('refuses a form without its CSRF token and a signed-out visitor', async (t) => {
    const { app } = await buildTestApp(t);
    const mina = await signedIn(app, 'mina@example.com');
    await mina.get(PAGE);
    const forged = await mina.post(PAGE, { _csrf: 'forged', name: 'Sneaky' });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual(await app.services.developerTokens.listTokens(mina.accountId), []);

    const visitor = await new Agent(app, { 'accept-language': 'en' }).get(PAGE);
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/login/);
  });

  for (const locale of ['ko', 'en'] as const) {
    it(`renders the page and a new token in ${locale} with no raw message key`, async (t) => {
      const { app } = await buildTestApp(t);
      const mina = await signedIn(app, `mina-${locale}@example.com`);
      mina.headers['accept-language'] = locale;
      const made = await submit(mina, PAGE, PAGE, { name: '배포' });
      const listed = await mina.get(PAGE);
      for (const html of [made.body, listed.body]) {
        assert.doesNotMatch(html, /tokens\.[a-z_.]+/, 'a raw message key is on the page');
      }
      assert.match(listed.body, locale === 'ko' ? /API 토큰/ : /API tokens/);
    });
  }
});
