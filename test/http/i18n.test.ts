/**
 * Translations: every message exists in Korean and English with the same
 * placeholders, and no rendered page shows a raw message key (the translator's fallback).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDateIn } from '../../src/i18n/dates.ts';
import { allMessageKeys, translator } from '../../src/i18n/index.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)(?::[^}]*)?\}/g)].map((m) => m[1]).sort();

/** What a person reads or hears: text nodes plus the attributes screen readers and browsers show. */
function visibleText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  return [text, ...attrs].join('\n').replace(/\S+@\S+/g, ' ');
}

const RAW_KEY = /\b[a-z][a-z0-9]+(?:_[a-z0-9]+)*(?:\.[a-z][a-z0-9_]+)+\b/g;

describe('message catalogue', () => {
  it('has every key in both Korean and English', () => {
    const { en, ko } = allMessageKeys();
    assert.ok(en.length > 50, 'the catalogue is loaded');
    assert.deepEqual([...ko].sort(), [...en].sort());
  });

  it('has a non-empty text with the same placeholders in both languages', () => {
    const tEn = translator('en');
    const tKo = translator('ko');
    for (const key of allMessageKeys().en) {
      const en = tEn(key);
      const ko = tKo(key);
      assert.ok(en.trim() && en !== key, `en ${key}`);
      assert.ok(ko.trim() && ko !== key, `ko ${key}`);
      assert.deepEqual(placeholders(ko), placeholders(en), `placeholders of ${key}`);
    }
  });

  it('really translates: most Korean texts contain Hangul', () => {
    const tKo = translator('ko');
    const keys = allMessageKeys().ko;
    const hangul = keys.filter((k) => /[\uac00-\ud7a3]/.test(tKo(k)));
    assert.ok(hangul.length / keys.length > 0.9, `${hangul.length}/${keys.length} Korean texts have Hangul`);
  });
});

describe('rendered pages', () => {
  for (const locale of ['ko', 'en'] as const) {
    it(`show no raw message key in ${locale}`, async (t) => {
      const { app } = await buildTestApp(t, { env: { YEON_LOGIN_MAX_FAILURES: '1' } });
      const agent = new Agent(app, { 'accept-language': locale });
      const pages: Array<[string, string]> = [];
      const keep = (name: string, body: string) => pages.push([name, body]);

      for (const url of ['/', '/signup', '/login', '/login?logged_out=1', '/no-such-page']) {
        keep(url, (await agent.get(url)).body);
      }
      await agent.get('/signup');
      keep(
        'signup errors',
        (await agent.post('/signup', { email: 'x', password: 'short', nickname: '' })).body,
      );
      keep('csrf error', (await agent.post('/signup', { _csrf: 'forged' })).body);
      await agent.signUp('mina@example.com');
      keep('/account', (await agent.get('/account')).body);
      keep('/account?saved=1', (await agent.get('/account?saved=1')).body);
      const bad = {
        nickname: '',
        name: 'n'.repeat(61),
        gender: 'x',
        birth_date: '1994-02-30',
        age_range: 'x',
        phone_number: 'x',
      };
      keep('account errors', (await agent.post('/account', bad)).body);
      await agent.post('/logout', {});
      const other = new Agent(app, { 'accept-language': locale });
      keep('email taken', (await other.signUp('MINA@example.com')).body);
      keep('login failed', (await other.login('mina@example.com', 'wrong password')).body);
      keep('login throttled', (await other.login('mina@example.com', 'wrong password')).body);

      const known = new Set(allMessageKeys().en);
      for (const [name, body] of pages) {
        assert.match(body, new RegExp(`<html lang="${locale}"`), `${name} is in ${locale}`);
        const text = visibleText(body);
        const raw = [...text.matchAll(RAW_KEY)].map((m) => m[0]);
        assert.deepEqual(raw, [], `${name} (${locale}) shows raw keys`);
        for (const key of known) assert.ok(!text.includes(key), `${name} (${locale}) shows ${key}`);
      }
      assert.equal(pages.length, 13);
    });
  }
});

describe('dates (src/i18n/dates.ts)', () => {
  // 2026-12-04 09:36 UTC: December 4 in every time zone from UTC-9 to UTC+14.
  const at = Date.UTC(2026, 11, 4, 9, 36);
  it('formats each style in each language as Intl does, from a cached formatter', () => {
    for (const locale of ['en'] as const)
      for (const [style, options] of [
        ['date', { dateStyle: 'long' }],
        ['dateTime', { dateStyle: 'long', timeStyle: 'short' }],
        ['compactDateTime', { dateStyle: 'medium', timeStyle: 'short' }],
      ] as const)
        assert.equal(
          formatDateIn(locale, style, at),
          new Intl.DateTimeFormat(locale, options).format(at),
          `${locale} ${style}`,
        );
    assert.equal(formatDateIn('ko', 'date', at), '2026년 12월 4일');
    assert.equal(
      formatDateIn('ko', 'date', at),
      new Intl.DateTimeFormat('ko', { dateStyle: 'long' }).format(at),
    );
  });

  it('writes Korean times with 오전/오후 before the time, whatever the ICU data says', () => {
    const morning = Date.UTC(2026, 11, 4, 0, 5);
    const evening = Date.UTC(2026, 11, 4, 20, 21);
    for (const style of ['dateTime', 'compactDateTime'] as const) {
      for (const at of [morning, evening]) {
        const text = formatDateIn('ko', style, at);
        assert.doesNotMatch(text, /AM|PM/, text);
        // a bare 'ko' writes Seoul time (UTC+9, no daylight saving); the day period follows it
        const hour = (new Date(at).getUTCHours() + 9) % 24;
        assert.match(text, new RegExp(hour < 12 ? '오전 \\d' : '오후 \\d'), `${style}: ${text}`);
      }
    }
    assert.equal(formatDateIn('en', 'date', new Date(at)), 'December 4, 2026');
  });
});
