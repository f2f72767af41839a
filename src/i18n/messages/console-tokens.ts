/**
 * Developer console: tokens strings (slot; filled by the console work).
 */
const en = {};

const ko: { [K in keyof typeof en]: string } = {};

export default { en, ko };
