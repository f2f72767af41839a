/**
 * `yeon demo setup|reset`: the first start registers both apps and the demo
 * account, a restart reuses them, and reset removes them from yeon and the demo folder.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { credentialsFile, DEMO_EMAIL, ensureDemo, resetDemo } from '../../src/modules/demo/demo.setup.ts';
import { buildTestApp } from '../helpers/build-test-app.ts';

const URLS = { yeon: 'http://localhost:8080', shop: 'http://localhost:8081', blog: 'http://localhost:8082' };

test('demo setup is idempotent, registers case 1 and case 2, and reset removes everything', async (t) => {
  const { app } = await buildTestApp(t);
  const services = app.services;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-demo-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const first = await ensureDemo(services, dataDir, URLS);
  assert.equal(first.created, true);
  assert.ok(fs.existsSync(credentialsFile(dataDir)));
  const again = await ensureDemo(services, dataDir, URLS);
  assert.equal(again.created, false, 'a restart reuses the registered apps');
  assert.deepEqual(again.credentials, first.credentials);

  const actor = { accountId: first.credentials.developer.account_id };
  const shop = await services.apps.getAppDetail(actor, first.credentials.shop.app_id);
  assert.equal(shop.unlink.callback_url, 'http://localhost:8081/unlink', 'case 1: an unlink callback');
  assert.deepEqual(shop.login.redirect_uris, ['http://localhost:8081/auth/callback']);
  const blog = await services.apps.getAppDetail(actor, first.credentials.blog.app_id);
  assert.equal(blog.unlink.callback_url, null, 'case 2: no unlink callback');
  assert.equal(blog.platforms.android?.package_name, 'com.example.yeonblog');
  assert.ok(blog.platforms.ios?.app_store_url);
  assert.deepEqual(blog.platforms.site_urls, ['http://localhost:8082']);
  const login = await services.accounts.authenticate({
    email: DEMO_EMAIL,
    password: first.credentials.person.password,
    ip: '127.0.0.1',
  });
  assert.equal(login.id, first.credentials.person.account_id);

  await resetDemo(services, dataDir);
  assert.equal(fs.existsSync(credentialsFile(dataDir)), false);
  assert.equal(await services.accounts.getByEmail(DEMO_EMAIL), undefined);
  assert.equal(await services.apps.findAppById(first.credentials.shop.app_id), undefined);
  const fresh = await ensureDemo(services, dataDir, URLS);
  assert.equal(fresh.created, true, 'after a reset the next start sets the demo up again');
  assert.notEqual(fresh.credentials.shop.app_id, first.credentials.shop.app_id);
});
