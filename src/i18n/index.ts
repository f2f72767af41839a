/**
 * Every user-facing string lives in `messages/<area>.ts`, in Korean and English with the same keys
 * (the type of each `ko` table is derived from its `en` table, so a missing translation does not
 * compile). Templates call `t(key, params)`; `{name}` placeholders are filled from params.
 */

import type { Locale } from './locale.ts';
import account from './messages/account.ts';
import apps from './messages/apps.ts';
import common from './messages/common.ts';
import connected from './messages/connected.ts';
import connections from './messages/connections.ts';
import developerConsole from './messages/console.ts';
import consoleDashboardMessages from './messages/console-dashboard.ts';
import consoleDeliveriesMessages from './messages/console-deliveries.ts';
import consoleKeysMessages from './messages/console-keys.ts';
import consoleTokensMessages from './messages/console-tokens.ts';
import errors from './messages/errors.ts';
import historyMessages from './messages/history.ts';
import interaction from './messages/interaction.ts';
import invitationsMessages from './messages/invitations.ts';
import mailMessages from './messages/mail.ts';
import notifications from './messages/notifications.ts';
import oauth from './messages/oauth.ts';
import profileMessages from './messages/profile.ts';
import receiptsMessages from './messages/receipts.ts';
import recoveryMessages from './messages/recovery.ts';
import securityMessages from './messages/security.ts';
import { type ParticlePair, particleAfter } from './particle-after.ts';

const areas = [
  common,
  errors,
  account,
  connections,
  connected,
  apps,
  developerConsole,
  notifications,
  oauth,
  interaction,
  securityMessages,
  mailMessages,
  recoveryMessages,
  invitationsMessages,
  receiptsMessages,
  historyMessages,
  profileMessages,
  consoleTokensMessages,
  consoleKeysMessages,
  consoleDeliveriesMessages,
  consoleDashboardMessages,
] as const;

type AreaKeys<A> = A extends { en: infer E } ? keyof E : never;
export type MessageKey = AreaKeys<(typeof areas)[number]>;

const tables: Record<Locale, Record<string, string>> = { en: {}, ko: {} };
for (const area of areas) {
  Object.assign(tables.en, area.en);
  Object.assign(tables.ko, area.ko);
}

export type Translate = (key: MessageKey | (string & {}), params?: Record<string, string | number>) => string;

/**
 * `{name}` is replaced by the value; `{name:이/가}` by the value followed by the Korean particle
 * its last syllable takes (see `particle-after.ts`). A closing quotation mark written right after
 * the placeholder stays between the value and the particle: `“{value:은/는}”` gives “Shop”은.
 */
// The marks are escaped (” ’ 」 』): one character above U+00FF in the bundle makes V8 keep the
// whole bundle's source as two-byte text, twice the memory (docs/decisions/0003).
const PLACEHOLDER = /\{(\w+)(?::([^}]+))?\}([\u201D\u2019\u300D\u300F]?)/g;

/** A template cut at its placeholders: text, then each placeholder with the text after it. */
interface Placeholder {
  name: string;
  particle: ParticlePair | undefined;
  closing: string;
  /** the placeholder as written, kept when params lack its name */
  written: string;
  after: string;
}
interface Compiled {
  head: string;
  placeholders: Placeholder[];
}

/**
 * Templates are cut once, on first use, and kept by key (the tables' keys only, a closed set):
 * a `replace` with a callback per call was a tenth of the connected-services page with 200 apps.
 */
const compiledByLocale: Record<Locale, Map<string, Compiled>> = { en: new Map(), ko: new Map() };

function compile(template: string): Compiled {
  const placeholders: Placeholder[] = [];
  let head = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const text = template.slice(last, m.index);
    if (placeholders.length) placeholders[placeholders.length - 1]!.after = text;
    else head = text;
    placeholders.push({
      name: m[1]!,
      particle: m[2] as ParticlePair | undefined,
      closing: m[3] ?? '',
      written: m[0],
      after: '',
    });
    last = m.index + m[0].length;
  }
  const tail = template.slice(last);
  if (placeholders.length) placeholders[placeholders.length - 1]!.after = tail;
  else head = tail;
  return { head, placeholders };
}

function fill(compiled: Compiled, params: Record<string, string | number>): string {
  let out = compiled.head;
  for (const p of compiled.placeholders) {
    if (!(p.name in params)) {
      out += p.written + p.after;
      continue;
    }
    const value = String(params[p.name]);
    out += value + p.closing;
    if (p.particle) out += particleAfter(value, p.particle);
    out += p.after;
  }
  return out;
}

export function translator(locale: Locale): Translate {
  const table = tables[locale];
  const compiled = compiledByLocale[locale];
  return (key, params) => {
    const own = table[key];
    if (!params) return own ?? tables.en[key] ?? key;
    if (own === undefined) {
      const template = tables.en[key] ?? key;
      return fill(compile(template), params);
    }
    let c = compiled.get(key);
    if (!c) {
      c = compile(own);
      compiled.set(key, c);
    }
    return fill(c, params);
  };
}

export function hasMessage(key: string): boolean {
  return key in tables.en && key in tables.ko;
}

export function allMessageKeys(): { en: string[]; ko: string[] } {
  return { en: Object.keys(tables.en), ko: Object.keys(tables.ko) };
}

export type { Locale } from './locale.ts';
