/**
 * `yeon app show` prints as text everything `yeon app show --json` holds: the test walks the JSON
 * and looks for every non-null scalar in the text (times as ISO 8601, switches as on/off next to
 * their label), on an app with every section filled in through `yeon app create|update`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { laneEnv, run } from './cli-process.ts';

/** The smallest file the icon check accepts as a PNG: the 8-byte signature and a little more. */
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/** How `show` labels each switch; any other switch is labelled by its key ("see_secrets" → "see secrets"). */
const SWITCH_LABEL: Record<string, string> = {
  'client_secret.enabled': 'client secret',
  'login.kakao_login_enabled': 'Kakao Login',
  'login.oidc_enabled': 'OpenID Connect',
  'login.require_pkce': 'require PKCE',
  'login.strict_oauth': 'strict OAuth',
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every non-null scalar leaf as [dotted path without indexes, value]. */
function leaves(value: unknown, at = ''): Array<[string, string | number | boolean]> {
  if (value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => leaves(v, at));
  if (typeof value === 'object')
    return Object.entries(value as object).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
  return [[at, value as string | number | boolean]];
}

export function assertShowsEverything(json: unknown, text: string): number {
  let checked = 0;
  for (const [at, value] of leaves(json)) {
    const key = at.split('.').at(-1)!;
    if (typeof value === 'boolean') {
      const label = SWITCH_LABEL[at] ?? key.replace(/_/g, ' ');
      assert.match(
        text,
        new RegExp(`${escapeRe(label)}:?\\s+${value ? 'on' : 'off'}\\b`),
        `${at} = ${value}`,
      );
    } else if (typeof value === 'number' && key.endsWith('_at')) {
      assert.ok(text.includes(new Date(value).toISOString()), `${at} = ${value} (as ISO 8601)`);
    } else {
      assert.ok(text.includes(String(value)), `${at} = ${JSON.stringify(value)} is not in the text`);
    }
    checked++;
  }
  return checked;
}

describe('yeon app show', () => {
  it('prints every field of --json as text, platforms, consent purposes and settings included', async (t) => {
    const { env, dataDir } = await laneEnv(t);
    const user = await run(
      ['user', 'create', '--email', 'dev@example.com', '--password', 'correct horse battery'],
      env,
    );
    assert.equal(user.code, 0, user.stderr);
    const created = await run(
      [
        ...['app', 'create', '--name', 'Shop', '--owner', 'dev@example.com', '--company', 'ACME'],
        ...['--description', 'Sells things', '--redirect-uri', 'https://shop.example.com/cb'],
        ...['--logout-redirect-uri', 'https://shop.example.com/bye', '--consent', 'account_email=required'],
        ...['--unlink-url', 'http://127.0.0.1:4000/unlink', '--unlink-method', 'GET'],
        ...['--site-url', 'https://shop.example.com', '--android-package', 'com.example.shop'],
        ...[
          '--android-market-url',
          'market://details?id=com.example.shop',
          '--ios-bundle-id',
          'com.example.ios',
        ],
        ...['--ios-store-url', 'https://apps.apple.com/app/id123', '--client-secret', 'on'],
        ...['--privacy-policy-url', 'https://shop.example.com/privacy', '--json'],
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const id = String(JSON.parse(created.stdout).app_id);
    const icon = path.join(dataDir, 'icon.png');
    fs.writeFileSync(icon, PNG);
    const updated = await run(
      [
        ...['app', 'update', id, '--icon', icon, '--terms-url', 'https://shop.example.com/terms'],
        ...['--js-origin', 'https://shop.example.com', '--purpose-ko', 'account_email=주문 안내 메일'],
        ...[
          '--purpose-en',
          'account_email=Order emails',
          '--unlink-format',
          'json',
          '--events',
          'user.linked',
        ],
        ...['--require-pkce', 'on'],
      ],
      env,
    );
    assert.equal(updated.code, 0, updated.stderr);

    const [json, text] = await Promise.all([
      run(['app', 'show', id, '--json'], env),
      run(['app', 'show', id], env),
    ]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(text.code, 0, text.stderr);
    const detail = JSON.parse(json.stdout);
    // The filled-in sections are really there, so the walk below checks them.
    assert.equal(detail.platforms.android.package_name, 'com.example.shop');
    assert.equal(detail.platforms.ios.app_store_url, 'https://apps.apple.com/app/id123');
    assert.equal(detail.icon.content_type, 'image/png');
    assert.deepEqual(detail.login.javascript_origins, ['https://shop.example.com']);
    const checked = assertShowsEverything(detail, text.stdout);
    assert.ok(checked > 60, `only ${checked} fields checked`);
    assert.match(
      text.stdout,
      /Android: +package com\.example\.shop, market URL market:\/\/details\?id=com\.example\.shop/,
    );
    assert.match(
      text.stdout,
      /account_email=required {2}purpose \(ko\): 주문 안내 메일; purpose \(en\): Order emails/,
    );
    assert.match(
      text.stdout,
      /unlink callback: +GET http:\/\/127\.0\.0\.1:4000\/unlink \(active, json format\)/,
    );
  });
});
