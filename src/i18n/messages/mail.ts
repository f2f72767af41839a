/** Mail sent to account holders (subjects and bodies) and the development mailbox. */
const en = {
  'mail.placeholder': 'mail',
};

const ko: Record<keyof typeof en, string> = {
  'mail.placeholder': 'mail',
};

export default { en, ko };
