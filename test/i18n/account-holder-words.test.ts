/**
 * The pages a person reads about their own account speak of apps, information and consent, never
 * of the machinery (tokens, scopes, clients, callbacks, redirects, APIs): a person deciding what
 * to share must understand what happens to their data. The developer console may use the
 * technical words; these pages may not, in either language.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Agent,
  createClientApp,
  createPerson,
  PASSWORD,
  startApp,
  startAuthorize,
  submitConsent,
  submitLogin,
} from '../interaction/interaction-fixtures.ts';

const JARGON =
  /콜백|callback|webhook|웹훅|scope|스코프|\bAPI\b|토큰|token|redirect|리다이렉트|\bclient\b|클라이언트/i;

/** What a person reads or hears: text nodes plus the attributes browsers and screen readers show. */
function visibleText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  return [text, ...attrs].join('\n');
}

function jargonIn(html: string): string[] {
  return visibleText(html)
    .split(/\n|\s{2,}|(?<=[.?!])\s/)
    .map((line) => line.trim())
    .filter((line) => JARGON.test(line));
}

describe('account-holder pages', () => {
  for (const locale of ['ko', 'en'] as const) {
    it(`use no developer words in ${locale}`, async (t) => {
      const { app, config } = await startApp(t);
      const client = await createClientApp(app, {
        unlink: { callback_url: 'http://127.0.0.1:9/unlink', method: 'POST', state: 'active' },
      });
      const person = await createPerson(app);
      const browser = new Agent(app, { 'accept-language': locale });
      const pages: Array<[string, { statusCode: number; body: string }]> = [];

      for (const url of ['/', '/signup', '/login', '/forgot-password'])
        pages.push([url, await browser.get(url)]);
      pages.push([
        'unregistered address',
        await startAuthorize(browser, config.issuer, client.rest_api_key, {
          redirect_uri: 'https://elsewhere.example/',
        }),
      ]);
      pages.push(['interaction login', await startAuthorize(browser, config.issuer, client.rest_api_key)]);
      pages.push(['consent', await submitLogin(browser, config.issuer, person.email, PASSWORD)]);
      await submitConsent(browser, config.issuer, { action: 'agree', items: ['account_email'] });

      const detail = `/account/connected-services/${client.app_id}`;
      for (const url of [
        '/account',
        '/account/connected-services',
        detail,
        `${detail}/withdraw/account_email`,
        `${detail}/delete-all`,
        '/account/history',
        '/account/security',
        '/account/password',
        '/account/email',
        '/account/delete',
      ]) {
        pages.push([url, await browser.get(url)]);
      }

      const found: string[] = [];
      for (const [name, res] of pages) {
        assert.equal(
          res.statusCode,
          name === 'unregistered address' ? 400 : 200,
          `${name} (${locale}) is shown`,
        );
        assert.match(res.body, new RegExp(`<html lang="${locale}"`), `${name} is in ${locale}`);
        for (const sentence of jargonIn(res.body)) found.push(`${name}: ${sentence}`);
      }
      assert.deepEqual(found, [], `developer words on ${locale} pages`);
    });
  }

  it('catches the words it looks for', () => {
    assert.deepEqual(jargonIn('<p>앱이 가진 토큰은 모두 무효가 됩니다</p>'), [
      '앱이 가진 토큰은 모두 무효가 됩니다',
    ]);
    assert.deepEqual(jargonIn('<p title="OAuth client">x</p>'), ['OAuth client']);
    assert.deepEqual(jargonIn('<p>Apps you connected</p><a href="/callback">x</a>'), []);
  });
});
