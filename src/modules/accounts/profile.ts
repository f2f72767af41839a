/**
 * The profile fields apps may later ask consent for (Kakao REST API "Retrieve user information"):
 * all optional except nickname. Parsing returns either clean values or field issues, never both.
 */
import type { FieldIssue } from '../../errors/catalogue.ts';
import { hasControlChars } from '../../lib/text.ts';

export const AGE_RANGES = [
  '1~9',
  '10~14',
  '15~19',
  '20~29',
  '30~39',
  '40~49',
  '50~59',
  '60~69',
  '70~79',
  '80~89',
  '90~',
] as const;
export const GENDERS = ['female', 'male'] as const;

export interface ProfileInput {
  nickname?: string;
  profile_image_url?: string;
  name?: string;
  gender?: string;
  birthday?: string;
  birthyear?: string;
  age_range?: string;
  phone_number?: string;
  /**
   * The account page's date control (`YYYY-MM-DD`, HTML "date state"). When sent, it replaces
   * `birthday` and `birthyear`; `birthyear_private` keeps month and day only.
   */
  birth_date?: string;
  /** '1' when the person keeps their birth year to themselves (Kakao allows a birthday alone) */
  birthyear_private?: string;
}

export interface Profile {
  nickname: string;
  profile_image_url: string | null;
  name: string | null;
  gender: string | null;
  birthday: string | null;
  birthyear: string | null;
  age_range: string | null;
  phone_number: string | null;
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/**
 * An email as typed, in Unicode's compatibility form (UAX #15 NFKC): the Kelvin sign `K` (U+212A)
 * becomes `K`, full-width `ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ` becomes `kim@example.com`. This is what is shown
 * and handed to apps; `normalizeEmail` is what is compared.
 */
export function displayEmail(email: string): string {
  return email.normalize('NFKC').trim();
}

/**
 * The one key an email is looked up and kept unique by, at every entry point (sign-up, login,
 * members, the CLI, the API): NFKC, then case-folded, then NFKC again since folding can undo it
 * (Unicode UAX #15 and §3.13 "NFKC_Casefold"). So two spellings a person cannot tell apart are
 * one account.
 */
export function normalizeEmail(email: string): string {
  return displayEmail(email).toLowerCase().normalize('NFKC');
}

export function emailIssues(email: string): FieldIssue[] {
  const e = displayEmail(email);
  if (!e) return [{ field: 'email', message: 'validation.required' }];
  if (e.length > 254 || hasControlChars(e) || !EMAIL_RE.test(e))
    return [{ field: 'email', message: 'validation.email_invalid' }];
  return [];
}

function blankToNull(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' ? null : t;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * What a profile form sets. `profile_image_url` is left out when the form does not carry it: the
 * account page uploads pictures instead (profile-pictures.service.ts), and saving the rest of the
 * profile must not forget the picture.
 */
export type ProfileUpdate = Omit<Profile, 'profile_image_url'> & Partial<Pick<Profile, 'profile_image_url'>>;

/** `now` (epoch ms) decides which birth dates are in the future. */
export function parseProfile(
  input: ProfileInput,
  now: number = Date.now(),
): { profile: ProfileUpdate; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const nickname = (input.nickname ?? '').trim();
  if (!nickname) issues.push({ field: 'nickname', message: 'validation.required' });
  else if (nickname.length > 40)
    issues.push({ field: 'nickname', message: 'validation.too_long', params: { max: 40 } });
  else if (hasControlChars(nickname)) issues.push({ field: 'nickname', message: 'validation.invalid' });

  const birth = input.birth_date === undefined ? undefined : parseBirthDate(input, now);
  if (birth?.issue) issues.push(birth.issue);
  const profile: ProfileUpdate = {
    nickname,
    name: blankToNull(input.name),
    gender: blankToNull(input.gender),
    birthday: birth ? birth.birthday : blankToNull(input.birthday),
    birthyear: birth ? birth.birthyear : blankToNull(input.birthyear),
    age_range: blankToNull(input.age_range),
    phone_number: blankToNull(input.phone_number),
  };
  if (input.profile_image_url !== undefined) profile.profile_image_url = blankToNull(input.profile_image_url);
  const { profile_image_url: img, name, gender, birthday, birthyear, age_range, phone_number } = profile;
  if (img && (img.length > 2048 || hasControlChars(img) || !isHttpUrl(img)))
    issues.push({ field: 'profile_image_url', message: 'validation.url_invalid' });
  if (name && name.length > 60)
    issues.push({ field: 'name', message: 'validation.too_long', params: { max: 60 } });
  else if (name && hasControlChars(name)) issues.push({ field: 'name', message: 'validation.invalid' });
  if (gender && !(GENDERS as readonly string[]).includes(gender))
    issues.push({ field: 'gender', message: 'validation.gender_invalid' });
  if (birthday && !isValidMmdd(birthday))
    issues.push({ field: 'birthday', message: 'validation.birthday_invalid' });
  if (birthyear && !/^(19|20)\d\d$/.test(birthyear))
    issues.push({ field: 'birthyear', message: 'validation.birthyear_invalid' });
  if (age_range && !(AGE_RANGES as readonly string[]).includes(age_range)) {
    issues.push({ field: 'age_range', message: 'validation.age_range_invalid' });
  }
  if (phone_number && !/^\+?[0-9 ()-]{6,24}$/.test(phone_number))
    issues.push({ field: 'phone_number', message: 'validation.phone_invalid' });
  return { profile, issues };
}

function isValidMmdd(value: string): boolean {
  if (!/^\d{4}$/.test(value)) return false;
  const month = Number(value.slice(0, 2));
  const day = Number(value.slice(2));
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * The date control's value as Kakao keeps it: `birthday` MMDD and `birthyear` YYYY (Kakao REST API
 * "Retrieve user information", kakao_account.birthday / birthyear). A day that does not exist
 * (02-30, 02-29 of a common year) or lies in the future is refused.
 */
function parseBirthDate(
  input: ProfileInput,
  now: number,
): { birthday: string | null; birthyear: string | null; issue?: FieldIssue } {
  const value = (input.birth_date ?? '').trim();
  if (value === '') return { birthday: null, birthyear: null };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const invalid = { birthday: null, birthyear: null };
  if (!m) return { ...invalid, issue: { field: 'birth_date', message: 'profile.birth_date.invalid' } };
  const [, year, month, day] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const exists =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day);
  if (!exists || Number(year) < 1900)
    return { ...invalid, issue: { field: 'birth_date', message: 'profile.birth_date.invalid' } };
  // "Future" means later than today anywhere on Earth (UTC+14, Kiritimati): a person born today
  // in Seoul is not refused because it is still yesterday in UTC.
  if (value > new Date(now + 14 * 3_600_000).toISOString().slice(0, 10))
    return { ...invalid, issue: { field: 'birth_date', message: 'profile.birth_date.future' } };
  return { birthday: `${month}${day}`, birthyear: input.birthyear_private === '1' ? null : year };
}
