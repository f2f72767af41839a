/** Connection history grouped by app, and the history download. */
const en = {
  'history.placeholder': 'history',
};

const ko: Record<keyof typeof en, string> = {
  'history.placeholder': 'history',
};

export default { en, ko };
