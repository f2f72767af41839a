/**
 * The Korean particle that follows a name filled in at run time. Korean particles agree with the
 * sound of the word before them: 카카오가, 연결이; 카카오를, 연결을; 카카오로, 계정으로, 서울로
 * (ㄹ takes 로). es-hangul decides this from the last Hangul syllable.
 *
 * A name that does not end in Hangul is read aloud in Korean, and its spelling does not say how:
 * "Shop" is read 샵 (이), "Kakao" 카카오 (가). es-hangul treats every non-Hangul letter as ending
 * in a vowel, which would print "Shop가". So for such a name the particle is written in the
 * conventional both-forms spelling, 이(가), 을(를), 은(는), 과(와), (으)로, which reads correctly
 * whatever the name sounds like. Digits are the exception: their Sino-Korean reading is fixed
 * (410 사백십 → 으로, 2 이 → 가), so a trailing digit is read as Hangul.
 */
import { josa } from 'es-hangul';

export const PARTICLE_PAIRS = [
  '이/가',
  '을/를',
  '은/는',
  '와/과',
  '으로/로',
  '이나/나',
  '이라/라',
  '이에요/예요',
] as const;
export type ParticlePair = (typeof PARTICLE_PAIRS)[number];

export function isParticlePair(value: string): value is ParticlePair {
  return (PARTICLE_PAIRS as readonly string[]).includes(value);
}

/** How the last digit of a number is read: 0 (영, 십, 백, 천, 만) always ends in a consonant. */
const DIGIT_READING: Record<string, string> = {
  '0': '영',
  '1': '일',
  '2': '이',
  '3': '삼',
  '4': '사',
  '5': '오',
  '6': '육',
  '7': '칠',
  '8': '팔',
  '9': '구',
};

const HANGUL_SYLLABLE = /[\uac00-\ud7a3]/;
/** Letters and digits; closing brackets and punctuation after a name are not read. */
const READ_ALOUD = /[\p{L}\p{N}]/u;

export function particleAfter(word: string, pair: ParticlePair): string {
  if (!isParticlePair(pair)) return '';
  const chars = [...word];
  let last: string | undefined;
  for (let i = chars.length - 1; i >= 0; i--) {
    if (READ_ALOUD.test(chars[i] as string)) {
      last = chars[i];
      break;
    }
  }
  if (last !== undefined && HANGUL_SYLLABLE.test(last)) return josa.pick(last, pair);
  if (last !== undefined && last in DIGIT_READING) return josa.pick(DIGIT_READING[last] as string, pair);
  return bothForms(pair);
}

/** 이(가), 을(를), 은(는), 과(와), (으)로: the form after a consonant, then the form after a vowel. */
function bothForms(pair: ParticlePair): string {
  const afterConsonant = josa.pick('밥', pair);
  const afterVowel = josa.pick('나', pair);
  if (afterConsonant.endsWith(afterVowel)) {
    return `(${afterConsonant.slice(0, afterConsonant.length - afterVowel.length)})${afterVowel}`;
  }
  return `${afterConsonant}(${afterVowel})`;
}
