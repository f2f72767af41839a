/** Email verification, forgot password, change password and password strength. */
const en = {
  'recovery.placeholder': 'recovery',
};

const ko: Record<keyof typeof en, string> = {
  'recovery.placeholder': 'recovery',
};

export default { en, ko };
