/** Profile picture upload and the profile editor. */
const en = {
  'profile.placeholder': 'profile',
};

const ko: Record<keyof typeof en, string> = {
  'profile.placeholder': 'profile',
};

export default { en, ko };
