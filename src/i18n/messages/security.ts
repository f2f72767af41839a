/** Devices, sessions and security events on the account page. */
const en = {
  'security.placeholder': 'security',
};

const ko: Record<keyof typeof en, string> = {
  'security.placeholder': 'security',
};

export default { en, ko };
