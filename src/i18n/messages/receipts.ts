/** Live notification receipts after Delete All Data, Disconnect and account deletion. */
const en = {
  'receipts.placeholder': 'receipts',
};

const ko: Record<keyof typeof en, string> = {
  'receipts.placeholder': 'receipts',
};

export default { en, ko };
