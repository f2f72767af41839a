/**
 * The nginx configuration we ship (deploy/nginx/yeon.conf), run by Debian's nginx: it passes
 * `nginx -t` as written, and when no instance can answer (all refused, as when nginx's passive
 * checks have marked every instance down during a database outage) nginx answers as yeon would,
 * 503 with Retry-After in each surface's shape, never its own bare 502: Kakao's -9798 envelope on
 * the Kakao API, RFC 6749 `temporarily_unavailable` on /oauth, a page elsewhere.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { ROOT } from '../cli/cli-process.ts';
import { freePort, NGINX, requireNginx, tempPathDirectives } from '../helpers/cluster.ts';

const SHIPPED = fs.readFileSync(path.join(ROOT, 'deploy/nginx/yeon.conf'), 'utf8');

/** An nginx.conf around `site` (the shipped file, maybe adapted), in a private directory. */
function wrap(dir: string, site: string): string {
  fs.writeFileSync(path.join(dir, 'yeon.conf'), site);
  const conf = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    ${tempPathDirectives(dir)}
    include ${dir}/yeon.conf;
}
`;
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  return file;
}

function privateDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yeon-nginx-conf-'));
  fs.chmodSync(dir, 0o755);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('deploy/nginx/yeon.conf', () => {
  it('passes nginx -t as shipped (with a certificate in place)', (t) => {
    requireNginx();
    const dir = privateDir(t);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=id.example.com',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const site = SHIPPED.replace(
      '/etc/letsencrypt/live/id.example.com/fullchain.pem',
      path.join(dir, 'cert.pem'),
    ).replace('/etc/letsencrypt/live/id.example.com/privkey.pem', path.join(dir, 'key.pem'));
    const out = execFileSync(NGINX, ['-t', '-p', dir, '-c', wrap(dir, site)], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    assert.equal(typeof out, 'string');
  });

  it('answers 503 with Retry-After in each surface’s shape when no instance can answer', async (t) => {
    requireNginx();
    const dir = privateDir(t);
    const port = await freePort();
    const closed = await freePort(); // nothing listens there: every instance refuses
    // Only what a loopback test cannot have changes: addresses, and plain http instead of TLS.
    const site = SHIPPED.replace(/server 10\.0\.0\.\d+:8080/g, `server 127.0.0.1:${closed}`)
      .replace(/listen 80;\n\s*listen \[::\]:80;/, `listen 127.0.0.1:${await freePort()};`)
      .replace(/listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;/, `listen 127.0.0.1:${port};`)
      .replace(/\n\s*ssl_[^\n]*/g, '');
    assert.notEqual(site, SHIPPED);
    const child = spawn(NGINX, ['-p', dir, '-c', wrap(dir, site)], { stdio: 'ignore' });
    t.after(() => {
      child.kill('SIGTERM');
    });
    const get = async (url: string, accept: string) => {
      for (let i = 0; ; i++) {
        try {
          return await fetch(`http://127.0.0.1:${port}${url}`, {
            headers: { host: 'id.example.com', accept },
          });
        } catch (err) {
          if (i >= 50) throw err; // nginx still starting: bounded, about 5 s
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };

    const kakao = await get('/v2/user/me', 'application/json');
    assert.equal(kakao.status, 503);
    assert.equal(kakao.headers.get('retry-after'), '5');
    assert.deepEqual(await kakao.json(), {
      msg: 'service is temporarily unavailable. try again later.',
      code: -9798,
    });
    const oauth = await get('/oauth/token', 'application/json');
    assert.equal(oauth.status, 503);
    assert.equal(oauth.headers.get('retry-after'), '5');
    assert.equal(((await oauth.json()) as { error: string }).error, 'temporarily_unavailable');
    const page = await get('/account/connected-services', 'text/html');
    assert.equal(page.status, 503);
    assert.equal(page.headers.get('retry-after'), '5');
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /잠시 후 다시 시도해 주세요/);
  });
});
