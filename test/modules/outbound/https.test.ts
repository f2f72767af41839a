/**
 * HTTPS through the pinned connector: the socket goes to the checked IP, while SNI and the
 * certificate check still use the registered host name (a certificate for the IP is not enough).
 * The key below is a throw-away self-signed test fixture for the name `rebind.test`, nothing else.
 */
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { deliverOnce } from '../../../src/modules/outbound/http-client.ts';

const TEST_CERT = `
-----BEGIN CERTIFICATE-----
MIIBmTCCAT+gAwIBAgIUJfxk6IpkCWw6R7pZwstW0mCi83EwCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLcmViaW5kLnRlc3QwHhcNMjYxMTI0MDUwNTE1WhcNMzYxMTIx
MDUwNTE1WjAWMRQwEgYDVQQDDAtyZWJpbmQudGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABIGIwdXw+MU0+SctWDJVoWdRh4uESlgwVwROx2uHNRhcG7NMrqdV
QMQAd+g/opHAlB+Z5sj2fohy6lfT26ZfUHGjazBpMB0GA1UdDgQWBBQHiY1c40X0
Nv9ayUZE8N4sQ1HlszAfBgNVHSMEGDAWgBQHiY1c40X0Nv9ayUZE8N4sQ1HlszAP
BgNVHRMBAf8EBTADAQH/MBYGA1UdEQQPMA2CC3JlYmluZC50ZXN0MAoGCCqGSM49
BAMCA0gAMEUCIB8KQOj/pAYZV9IKrzvedBf7okmg9tqsvNMjDSMqHs4RAiEAm9R2
h84OvULT2HIHcC6SIC3nquK37gIxkqOTef5d6/E=
-----END CERTIFICATE-----
`;

const TEST_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgnUwr7Fgv5mtQi7Ih
SQnQzZiqnIPHUjbtvqfnRXCTZDKhRANCAASBiMHV8PjFNPknLVgyVaFnUYeLhEpY
MFcETsdrhzUYXBuzTK6nVUDEAHfoP6KRwJQfmebI9n6IcupX09umX1Bx
-----END PRIVATE KEY-----
`;

describe('deliverOnce over https', () => {
  it('sends SNI for the host name (not the pinned IP) and verifies the certificate', async (t) => {
    const sniNames: string[] = [];
    let requests = 0;
    const server = https.createServer(
      {
        cert: TEST_CERT,
        key: TEST_KEY,
        SNICallback: (name, cb) => {
          sniNames.push(name);
          cb(null);
        },
      },
      (_req, res) => {
        requests++;
        res.end('ok');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as AddressInfo).port;

    const result = await deliverOnce(
      { url: `https://rebind.test:${port}/unlink`, method: 'GET', headers: {} },
      { policy: { allow: ['127.0.0.0/8'], resolve: async () => ['127.0.0.1'] }, timeoutMs: 2000 },
    );
    assert.equal(result.ok, false, 'a self-signed certificate is not trusted');
    assert.equal(result.error, 'connect_failed');
    assert.match(result.detail ?? '', /SELF_SIGNED/);
    assert.deepEqual(sniNames, ['rebind.test']);
    assert.equal(requests, 0);
  });
});
