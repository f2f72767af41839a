/**
 * The first-run demo: two third-party apps registered in yeon and a person to try them
 * with. Idempotent: the credentials are kept in `<data dir>/demo/credentials.json`, and a restart
 * reuses them as long as yeon still has the apps; `resetDemo` removes the apps, both demo accounts
 * and the demo apps' own data files. Everything goes through the services a console user or the
 * CLI would use (accounts.signUp, apps.createApp, apps.deleteApp), never raw inserts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomToken } from '../../lib/crypto.ts';
import type { Services } from '../../services.ts';
import type { CreatedApp } from '../apps/apps.types.ts';
import { deleteDemoAccount, purgeDeletedDemoApp } from './demo.repo.ts';

export const DEMO_EMAIL = 'demo@yeon.example';
export const DEVELOPER_EMAIL = 'developer@yeon.example';

export interface DemoUrls {
  /** yeon's public base URL (the issuer) */
  yeon: string;
  shop: string;
  blog: string;
}

export interface DemoCredentials {
  version: 1;
  urls: DemoUrls;
  person: { account_id: string; email: string; password: string };
  developer: { account_id: string; email: string; password: string };
  shop: CreatedApp & { redirect_uri: string };
  blog: CreatedApp & { redirect_uri: string };
}

export function demoDir(dataDir: string): string {
  return path.join(dataDir, 'demo');
}

export function credentialsFile(dataDir: string): string {
  return path.join(demoDir(dataDir), 'credentials.json');
}

function readCredentials(dataDir: string): DemoCredentials | undefined {
  const file = credentialsFile(dataDir);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DemoCredentials;
}

/** A password no list of common ones holds: the demo account is real, so is its password. */
function newPassword(): string {
  return `demo-${randomToken(9)}`;
}

async function ensureAccount(services: Services, email: string, nickname: string) {
  const existing = await services.accounts.getByEmail(email);
  if (existing) return undefined;
  const password = newPassword();
  const account = await services.accounts.signUp({ email, password, nickname });
  return { account_id: account.id, email, password };
}

/** Demo Shop: case 1, an OpenID Connect client with an unlink callback. */
async function createShop(services: Services, ownerId: string, urls: DemoUrls) {
  const redirect_uri = `${urls.shop}/auth/callback`;
  const created = await services.apps.createApp(
    { accountId: ownerId },
    {
      name: 'Demo Shop',
      company_name: 'yeon demo',
      description: 'A small shop that logs in with yeon and keeps a wish list per person.',
      privacy_policy_url: `${urls.shop}/privacy`,
      redirect_uris: [redirect_uri],
      logout_redirect_uris: [`${urls.shop}/`],
      client_secret_enabled: true,
      consent_items: [
        { item: 'profile_nickname', mode: 'required', purpose_en: 'To greet you', purpose_ko: '인사말 표시' },
        {
          item: 'account_email',
          mode: 'optional',
          purpose_en: 'Order confirmations',
          purpose_ko: '주문 확인 메일',
        },
      ],
      platforms: { site_urls: [urls.shop] },
      unlink: { callback_url: `${urls.shop}/unlink`, method: 'POST', state: 'active', format: 'kakao' },
    },
  );
  return { ...created, redirect_uri };
}

/** Demo Blog: case 2, Kakao-style login only, no unlink callback, mobile platforms set. */
async function createBlog(services: Services, ownerId: string, urls: DemoUrls) {
  const redirect_uri = `${urls.blog}/oauth/kakao/callback`;
  const created = await services.apps.createApp(
    { accountId: ownerId },
    {
      name: 'Demo Blog',
      company_name: 'yeon demo',
      description: 'A blog that uses the Kakao-compatible endpoints and has no unlink callback.',
      redirect_uris: [redirect_uri],
      consent_items: [{ item: 'profile_nickname', mode: 'required' }],
      platforms: {
        site_urls: [urls.blog],
        android: {
          package_name: 'com.example.yeonblog',
          market_url: 'https://play.google.com/store/apps/details?id=com.example.yeonblog',
        },
        ios: { bundle_id: 'com.example.yeonblog', app_store_url: 'https://apps.apple.com/app/id6400000000' },
      },
    },
  );
  return { ...created, redirect_uri };
}

/**
 * Makes sure the demo exists and returns its credentials. Reuses the stored credentials when
 * yeon still has both apps and both accounts; otherwise removes whatever is left and starts over,
 * so a half-finished first start (or a yeon database deleted by hand) heals itself.
 */
export async function ensureDemo(
  services: Services,
  dataDir: string,
  urls: DemoUrls,
): Promise<{ credentials: DemoCredentials; created: boolean }> {
  const stored = readCredentials(dataDir);
  if (stored && (await isComplete(services, stored, urls))) return { credentials: stored, created: false };
  await resetDemo(services, dataDir);

  const developer = await ensureAccount(services, DEVELOPER_EMAIL, 'Demo Developer');
  const person = await ensureAccount(services, DEMO_EMAIL, 'Demo Person');
  if (!developer || !person) throw new Error('demo accounts still exist after reset');
  const shop = await createShop(services, developer.account_id, urls);
  const blog = await createBlog(services, developer.account_id, urls);
  const credentials: DemoCredentials = { version: 1, urls, person, developer, shop, blog };
  fs.mkdirSync(demoDir(dataDir), { recursive: true });
  // Owner-only: the file holds client secrets and admin keys.
  fs.writeFileSync(credentialsFile(dataDir), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { credentials, created: true };
}

async function isComplete(services: Services, c: DemoCredentials, urls: DemoUrls): Promise<boolean> {
  if (c.version !== 1 || JSON.stringify(c.urls) !== JSON.stringify(urls)) return false;
  const [shop, blog, person, developer] = await Promise.all([
    services.apps.findAppByRestApiKey(c.shop.rest_api_key),
    services.apps.findAppByRestApiKey(c.blog.rest_api_key),
    services.accounts.getByEmail(c.person.email),
    services.accounts.getByEmail(c.developer.email),
  ]);
  return Boolean(shop && blog && person?.id === c.person.account_id && developer);
}

/**
 * Removes the demo from yeon (both apps, both accounts with their links and sessions) and the
 * demo apps' own files. Safe to run when nothing exists.
 */
export async function resetDemo(services: Services, dataDir: string): Promise<string[]> {
  const removed: string[] = [];
  const developer = await services.accounts.getByEmail(DEVELOPER_EMAIL);
  if (developer) {
    const actor = { accountId: developer.id };
    for (const app of await services.apps.listAppsForAccount(actor)) {
      if (app.name !== 'Demo Shop' && app.name !== 'Demo Blog') continue;
      await services.apps.deleteApp(actor, app.id);
      await purgeDeletedDemoApp(services.db, app.id);
      removed.push(`app ${app.name} (${app.id})`);
    }
  }
  for (const email of [DEMO_EMAIL, DEVELOPER_EMAIL]) {
    const account = await services.accounts.getByEmail(email);
    if (!account) continue;
    await deleteDemoAccount(services.db, account.id);
    removed.push(`account ${email}`);
  }
  const dir = demoDir(dataDir);
  if (fs.existsSync(dir)) {
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(`folder ${dir}`);
  }
  return removed;
}
