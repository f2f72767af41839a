/**
 * Korean particles agree with the word before them. A name filled in at run time carries its
 * particle in the `{name:이/가}` syntax, chosen by es-hangul from the name's last syllable; no
 * Korean message writes the both-forms fallback 을(를) or glues a particle to a placeholder.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allMessageKeys, translator } from '../../src/i18n/index.ts';
import { isParticlePair, PARTICLE_PAIRS, particleAfter } from '../../src/i18n/particle-after.ts';

const koTemplates = () => {
  const tKo = translator('ko');
  return allMessageKeys().ko.map((key) => [key, tKo(key)] as const);
};

/** Particles whose form depends on the word before them. */
const VARYING = '(?:은|는|이|가|을|를|와|과|으로|로|이나|나|이라|라|이에요|예요|이랑|랑)';

describe('Korean messages', () => {
  it('write no both-forms particle such as 은(는), 이(가), 을(를), 과(와) or (으)로', () => {
    const fallback = /\((?:은|는|이|가|을|를|와|과|으)\)/;
    const found = koTemplates().filter(([, text]) => fallback.test(text));
    assert.deepEqual(found, []);
  });

  it('glue no particle directly after a placeholder, and name only particle pairs the translator knows', () => {
    const glued = new RegExp(`\\{\\w+\\}[”’」』]?${VARYING}`);
    const found = koTemplates().filter(([, text]) => glued.test(text));
    assert.deepEqual(found, []);
    for (const [key, text] of koTemplates()) {
      for (const m of text.matchAll(/\{\w+:([^}]*)\}/g)) {
        assert.ok(isParticlePair(m[1] as string), `${key}: unknown particle pair ${m[1]}`);
      }
    }
  });

  it('are the same set of keys in Korean and English', () => {
    const { en, ko } = allMessageKeys();
    assert.deepEqual(new Set(ko), new Set(en));
  });
});

describe('particleAfter', () => {
  it('follows a Hangul name ending in a vowel', () => {
    assert.equal(particleAfter('카카오', '이/가'), '가');
    assert.equal(particleAfter('카카오', '을/를'), '를');
    assert.equal(particleAfter('카카오', '와/과'), '와');
    assert.equal(particleAfter('카카오', '으로/로'), '로');
    assert.equal(particleAfter('카카오', '은/는'), '는');
  });

  it('follows a Hangul name ending in a consonant, with ㄹ taking 로', () => {
    assert.equal(particleAfter('연결', '이/가'), '이');
    assert.equal(particleAfter('연결', '을/를'), '을');
    assert.equal(particleAfter('연결', '와/과'), '과');
    assert.equal(particleAfter('연결', '은/는'), '은');
    // 연결로, 서울로: a final ㄹ takes 로 (Standard Korean Grammar), other consonants 으로
    assert.equal(particleAfter('연결', '으로/로'), '로');
    assert.equal(particleAfter('계정', '으로/로'), '으로');
  });

  it('reads through closing punctuation to the last letter', () => {
    assert.equal(particleAfter('쇼핑몰(베타)', '이/가'), '가');
    assert.equal(particleAfter('우리 가게!', '을/를'), '를');
  });

  it('reads a trailing digit the Korean way', () => {
    assert.equal(particleAfter('410', '으로/로'), '으로'); // 사백십으로
    assert.equal(particleAfter('201', '으로/로'), '로'); // 이백일로
    assert.equal(particleAfter('앱 2', '이/가'), '가'); // 앱 이가
    assert.equal(particleAfter('앱 3', '이/가'), '이'); // 앱 삼이
  });

  it('writes both forms after a Latin name, whose sound its spelling does not tell', () => {
    assert.equal(particleAfter('Shop', '이/가'), '이(가)');
    assert.equal(particleAfter('Shop', '을/를'), '을(를)');
    assert.equal(particleAfter('Shop', '은/는'), '은(는)');
    assert.equal(particleAfter('Shop', '와/과'), '과(와)');
    assert.equal(particleAfter('Shop', '으로/로'), '(으)로');
    assert.equal(particleAfter('', '이/가'), '이(가)');
    for (const pair of PARTICLE_PAIRS) assert.ok(particleAfter('Kakao', pair).length > 0, pair);
  });
});

describe('translator', () => {
  it('fills {name:이/가} with the name and its particle', () => {
    const tKo = translator('ko');
    assert.equal(tKo('connected.unlinked', { app: '카카오' }), '카카오와의 연결을 끊었습니다.');
    assert.equal(tKo('connected.unlinked', { app: '우리 가게' }), '우리 가게와의 연결을 끊었습니다.');
    assert.equal(tKo('connected.unlinked', { app: '쇼핑몰' }), '쇼핑몰과의 연결을 끊었습니다.');
    assert.equal(tKo('connected.back_to_app', { app: '카카오' }), '카카오로 돌아가기');
    assert.equal(tKo('connected.back_to_app', { app: '계정' }), '계정으로 돌아가기');
    assert.equal(tKo('connected.back_to_app', { app: 'Shop' }), 'Shop(으)로 돌아가기');
  });

  it('puts the particle after a closing quotation mark', () => {
    const tKo = translator('ko');
    assert.match(tKo('apps.validation.duplicate', { value: '연결' }), /^“연결”이 /);
    assert.match(
      tKo('apps.validation.duplicate', { value: 'https://a.example' }),
      /^“https:\/\/a\.example”이\(가\) /,
    );
  });

  it('leaves English untouched by the particle syntax', () => {
    const tEn = translator('en');
    assert.doesNotMatch(tEn('connected.unlinked', { app: '카카오' }), /[:/]이|와\/과/);
  });

  it('fills every template as one replace over it would, a placeholder without its param kept', () => {
    // The translator cuts each template once and keeps it: the cut must not change any message.
    const placeholder = /\{(\w+)(?::([^}]+))?\}([\u201D\u2019\u300D\u300F]?)/g;
    const values = ['카카오', 'Shop', '쇼핑몰', '3'];
    for (const locale of ['ko', 'en'] as const) {
      const t = translator(locale);
      for (const key of allMessageKeys()[locale]) {
        const template = t(key);
        const names = [...template.matchAll(placeholder)].map((m) => m[1]!);
        if (!names.length) continue;
        values.forEach((value, i) => {
          // Every other name is left out once, so a kept placeholder is checked too.
          const params = Object.fromEntries(names.filter((_, k) => k !== i).map((n) => [n, value]));
          const expected = template.replace(placeholder, (m, name: string, particle, closing: string) => {
            if (!(name in params)) return m;
            return value + closing + (particle ? particleAfter(value, particle) : '');
          });
          assert.equal(t(key, params), expected, `${locale} ${key} with ${JSON.stringify(params)}`);
          assert.equal(t(key, params), expected, 'and again, from the kept cut');
        });
      }
    }
  });
});
