/**
 * Times as the reader reads them (src/i18n/dates.ts): recent events relative ("3분 전", "어제"),
 * older ones as Koreans write a date ("2026년 12월 4일 오후 5:21"), all in the reader's time zone,
 * which comes from the yeon_tz cookie only when it names a zone the runtime knows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_TIME_ZONE,
  formatDateIn,
  formatRecentIn,
  isKnownTimeZone,
  relativeTimeIn,
  TIME_ZONE_COOKIE,
  timeZoneOr,
} from '../../src/i18n/dates.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

// 2026-12-04 08:21 UTC = 17:21 in Seoul (UTC+9), 03:21 in New York (UTC-5).
const AT = Date.UTC(2026, 11, 4, 8, 21);
const MIN = 60_000;
const HOUR = 60 * MIN;
const seoul = { locale: 'ko', timeZone: 'Asia/Seoul' } as const;

describe('absolute dates', () => {
  it('are written as Koreans write them, in the reader’s zone', () => {
    assert.equal(formatDateIn(seoul, 'dateTime', AT), '2026년 12월 4일 오후 5:21');
    assert.equal(formatDateIn(seoul, 'date', AT), '2026년 12월 4일');
    assert.equal(
      formatDateIn({ locale: 'ko', timeZone: 'America/New_York' }, 'dateTime', AT),
      '2026년 12월 4일 오전 3:21',
    );
    assert.equal(
      formatDateIn({ locale: 'en', timeZone: 'UTC' }, 'dateTime', AT),
      'December 4, 2026 at 8:21 AM',
    );
  });

  it('default to Asia/Seoul in Korean and UTC in English', () => {
    assert.deepEqual(DEFAULT_TIME_ZONE, { ko: 'Asia/Seoul', en: 'UTC' });
    assert.equal(formatDateIn('ko', 'dateTime', AT), '2026년 12월 4일 오후 5:21');
    assert.equal(formatDateIn('en', 'dateTime', AT), 'December 4, 2026 at 8:21 AM');
  });
});

describe('relative times', () => {
  it('say seconds, minutes and hours ago for today', () => {
    assert.equal(relativeTimeIn(seoul, AT, AT + 30_000), '30초 전');
    assert.equal(relativeTimeIn(seoul, AT, AT + 3 * MIN), '3분 전');
    assert.equal(relativeTimeIn(seoul, AT, AT + 2 * HOUR), '2시간 전');
    assert.equal(relativeTimeIn({ locale: 'en', timeZone: 'UTC' }, AT, AT + 3 * MIN), '3 minutes ago');
    assert.equal(relativeTimeIn({ locale: 'en', timeZone: 'UTC' }, AT, AT + 2 * HOUR), '2 hours ago');
  });

  it('count calendar days in the reader’s zone: late last night is 어제', () => {
    // 22:30 in Seoul, read at 00:40 the next day in Seoul
    const lateNight = Date.UTC(2026, 11, 4, 13, 30);
    const afterMidnight = Date.UTC(2026, 11, 4, 15, 40);
    assert.equal(relativeTimeIn(seoul, lateNight, afterMidnight), '어제');
    // the same two instants are both on December 4 in UTC
    assert.equal(relativeTimeIn({ locale: 'en', timeZone: 'UTC' }, lateNight, afterMidnight), '2 hours ago');
    assert.equal(relativeTimeIn(seoul, AT, AT + 3 * 24 * HOUR), '3일 전');
    assert.equal(relativeTimeIn({ locale: 'en', timeZone: 'UTC' }, AT, AT + 24 * HOUR), 'yesterday');
  });

  it('give a week-old or future event as a date', () => {
    assert.equal(relativeTimeIn(seoul, AT, AT + 8 * 24 * HOUR), undefined);
    assert.equal(relativeTimeIn(seoul, AT + MIN, AT), undefined);
    assert.equal(formatRecentIn(seoul, AT, AT + 8 * 24 * HOUR), '2026년 12월 4일 오후 5:21');
    assert.equal(formatRecentIn(seoul, AT, AT + 8 * 24 * HOUR, 'date'), '2026년 12월 4일');
    assert.equal(formatRecentIn(seoul, AT, AT + 5 * MIN), '5분 전');
  });
});

describe('the time zone cookie', () => {
  it('is taken only when it names a zone the runtime knows', () => {
    assert.equal(timeZoneOr('Europe/Berlin', 'ko'), 'Europe/Berlin');
    assert.equal(timeZoneOr('UTC', 'ko'), 'UTC');
    for (const hostile of [
      undefined,
      '',
      'Mars/Olympus_Mons',
      'Asia/Seoul\r\nSet-Cookie: x=1',
      '../../etc/passwd',
      'x'.repeat(10_000),
      'Asia/Seoul'.padEnd(80, ' '),
      ['Asia/Seoul'],
      { toString: () => 'Asia/Seoul' },
      'constructor',
      '__proto__',
    ]) {
      assert.equal(isKnownTimeZone(hostile), false, String(hostile).slice(0, 40));
      assert.equal(timeZoneOr(hostile, 'ko'), 'Asia/Seoul');
      assert.equal(timeZoneOr(hostile, 'en'), 'UTC');
    }
  });

  it('accepts the current IANA names Node lists under older ones, as the listed zone', () => {
    // Browsers report Asia/Kolkata; Node's list has Asia/Calcutta.
    assert.equal(isKnownTimeZone('Asia/Kolkata'), true);
    assert.equal(timeZoneOr('Asia/Kolkata', 'en'), 'Asia/Calcutta');
    assert.equal(timeZoneOr('asia/seoul', 'en'), 'Asia/Seoul');
    assert.equal(timeZoneOr('Asia/Kathmandu', 'ko'), 'Asia/Katmandu');
  });

  it('never reaches Intl with a name it does not know, even through formatDateIn', () => {
    assert.equal(
      formatDateIn({ locale: 'ko', timeZone: 'Not/AZone' }, 'dateTime', AT),
      '2026년 12월 4일 오후 5:21',
    );
    assert.equal(relativeTimeIn({ locale: 'en', timeZone: 'Not/AZone' }, AT, AT + 24 * HOUR), 'yesterday');
  });

  it('sets the zone of every page; a hostile value falls back to the default and never 500s', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app, { 'accept-language': 'ko' });
    await agent.signUp('tz@example.com');
    const joined = async (cookie: string) => {
      agent.cookies.set(TIME_ZONE_COOKIE, cookie);
      const res = await agent.get('/account');
      assert.equal(res.statusCode, 200, cookie.slice(0, 40));
      return res.body;
    };
    const now = Date.now();
    const inZone = (timeZone: string) => formatDateIn({ locale: 'ko', timeZone }, 'date', now);
    assert.ok(
      (await joined(encodeURIComponent('Pacific/Kiritimati'))).includes(inZone('Pacific/Kiritimati')),
    );
    assert.ok((await joined(encodeURIComponent('Pacific/Pago_Pago'))).includes(inZone('Pacific/Pago_Pago')));
    for (const hostile of ['Mars%2FBase', '%E0%A4%A', 'x'.repeat(4000), '%00', '%22%3E%3Cscript%3E']) {
      assert.ok((await joined(hostile)).includes(inZone('Asia/Seoul')), hostile.slice(0, 40));
    }
  });

  it('is set by a static script that every page loads (no inline script, as the CSP requires)', async (t) => {
    const { app } = await buildTestApp(t);
    const page = await app.inject({ method: 'GET', url: '/login' });
    assert.match(page.body, /<script src="\/assets\/timezone\.js" defer><\/script>/);
    const script = await app.inject({ method: 'GET', url: '/assets/timezone.js' });
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.match(script.body, /resolvedOptions\(\)\.timeZone/);
    assert.match(script.body, new RegExp(`${TIME_ZONE_COOKIE}=`));
  });
});
