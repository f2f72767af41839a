/**
 * Typed text is refused when it holds control characters: C0 (U+0000–U+001F), DEL (U+007F) and
 * C1 (U+0080–U+009F). They are invisible on a page, NUL cuts strings short in C libraries and some
 * databases (PostgreSQL's text refuses it outright), and CR/LF split log lines and headers
 * (OWASP ASVS V5.1.3–V5.1.4: validate free text against an allow-list of characters).
 * Multi-line fields (a description typed into a textarea) may keep tab, LF and CR.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function hasControlChars(value: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROL_BUT_LINES : CONTROL).test(value);
}
