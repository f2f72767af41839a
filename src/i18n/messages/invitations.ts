/** Team invitations in the developer console. */
const en = {
  'invitations.placeholder': 'invitations',
};

const ko: Record<keyof typeof en, string> = {
  'invitations.placeholder': 'invitations',
};

export default { en, ko };
