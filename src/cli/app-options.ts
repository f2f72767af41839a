/**
 * What the `yeon app …` commands share: the app id argument, acting as the app's owner, option
 * helpers, and turning the apps service's field issues into lines that name the option.
 */
import { Option } from 'commander';
import { isAppError } from '../errors/catalogue.ts';
import { translator } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { describeError } from './user.commands.ts';

/** Field names of the apps service → the options that feed them, so errors name the option. */
const OPTION_OF: Array<[RegExp, string]> = [
  [/^name$/, '--name'],
  [/^company_name$/, '--company'],
  [/^description$/, '--description'],
  [/^privacy_policy_url$/, '--privacy-policy-url'],
  [/^terms_url$/, '--terms-url'],
  [/^redirect_uris$/, '--redirect-uri'],
  [/^logout_redirect_uris$/, '--logout-redirect-uri'],
  [/^consent_items/, '--consent'],
  [/^site_urls$/, '--site-url'],
  [/^android\.package_name$/, '--android-package'],
  [/^android\.market_url$/, '--android-market-url'],
  [/^ios\.bundle_id$/, '--ios-bundle-id'],
  [/^ios\.app_store_url$/, '--ios-store-url'],
  [/^javascript_origins/, '--js-origin'],
  [/^icon/, '--icon'],
  [/^callback_url$/, '--unlink-url'],
  [/^method$/, '--unlink-method'],
  [/^state$/, '--unlink-state'],
  [/^format$/, '--unlink-format'],
  [/^events$/, '--events'],
  [/^email$/, 'EMAIL'],
  [/^role$/, '--role'],
];

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** One readable line per problem, each starting with the option it is about. */
export function describeAppError(err: unknown): Error {
  if (!isAppError(err) || err.code !== 'validation_failed' || err.issues.length === 0)
    return describeError(err);
  const t = translator('en');
  const lines = err.issues.map((i) => {
    const option = OPTION_OF.find(([re]) => re.test(i.field))?.[1] ?? i.field;
    return `${option}: ${t(i.message, i.params)}`;
  });
  return new CliUsageError(`invalid input, nothing was saved:\n  ${lines.join('\n  ')}`);
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
export const onOff = (flag: string, description: string) =>
  new Option(flag, description).choices(['on', 'off']);

/** `--consent ITEM=MODE` pairs; the service checks the items and modes themselves. */
export function consentPairsFrom(pairs: string[] = []): Array<{ item: string; mode: string }> {
  return pairs.map((pair) => {
    const m = /^([^=]+)=(.+)$/.exec(pair.trim());
    if (!m)
      throw new CliUsageError(`--consent: "${pair}" must look like ITEM=required|optional|during-use|off`);
    return { item: m[1]!.trim(), mode: m[2]!.trim() };
  });
}

export async function ownerId(s: Services, email: string): Promise<string> {
  const account = await s.accounts.getByEmail(email);
  if (!account)
    throw new CliUsageError(
      `--owner: no account uses the email "${email}" (create it with yeon user create)`,
    );
  return account.id;
}

export function appIdFrom(text: string): number {
  const appId = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(appId))
    throw new CliUsageError(`APP_ID: "${text}" is not a numeric app id`);
  return appId;
}

/** The CLI acts as the app's owner: whoever can run it already holds the database. */
export async function ownerOf(s: Services, appId: number) {
  const owner = await s.apps.findOwnerActor(appId);
  if (!owner) throw new CliUsageError(`APP_ID: no app ${appId}`);
  return owner;
}
