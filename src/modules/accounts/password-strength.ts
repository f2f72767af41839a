/**
 * How guessable a new password is (NIST SP 800-63B §5.1.1.2: check new passwords against lists of
 * commonly used or compromised values and words specific to the service or the person; OWASP ASVS
 * V2.1.7/V2.1.8). zxcvbn-ts estimates the guesses an attacker needs, using its common and English
 * dictionaries and the person's own email and nickname; a score below 3 ("safely unguessable:
 * moderate protection from offline slow-hash scenario", zxcvbn's scale 0–4) is refused with its
 * feedback. There is no Korean dictionary package for zxcvbn-ts; the common package's
 * international password lists still apply to Korean speakers' passwords.
 *
 * The dictionaries take a few hundred milliseconds to build, so they are loaded once, on the first
 * password that needs scoring, not when the server starts.
 */
import type { FieldIssue } from '../../errors/catalogue.ts';

export const MIN_SCORE = 3;

type Checker = { check(password: string, userInputs?: string[]): StrengthResult };
interface StrengthResult {
  score: number;
  feedback: { warning: string | null; suggestions: string[] };
}

let checker: Promise<Checker> | undefined;

async function loadChecker(): Promise<Checker> {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  // No `translations` option: feedback comes back as the library's translation keys
  // (`warnings.*`, `suggestions.*`), which the message area `recovery` translates in both languages.
  const factory = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
  });
  return { check: (password, userInputs) => factory.check(password, userInputs) as StrengthResult };
}

/** The words of the person's own details that must not make a password easy: email parts, nickname. */
function personalWords(inputs: Array<string | null | undefined>): string[] {
  const words = new Set<string>();
  for (const raw of inputs) {
    const value = (raw ?? '').trim().toLowerCase();
    if (!value) continue;
    words.add(value);
    for (const part of value.split(/[@.+_\-\s]+/)) if (part.length >= 3) words.add(part);
  }
  return [...words];
}

/**
 * Field issues for a password that is too easy to guess: first the library's warning (or a general
 * one when it has none), then each of its suggestions. Empty when the score is high enough.
 */
export async function strengthIssues(
  password: string,
  personal: Array<string | null | undefined>,
  field = 'password',
): Promise<FieldIssue[]> {
  checker ??= loadChecker();
  const result = (await checker).check(password, personalWords(personal));
  if (result.score >= MIN_SCORE) return [];
  const { warning, suggestions } = result.feedback;
  return [
    { field, message: warning ? `recovery.strength.warning.${warning}` : 'recovery.strength.weak' },
    ...suggestions.map((s) => ({ field, message: `recovery.strength.suggestion.${s}` })),
  ];
}
