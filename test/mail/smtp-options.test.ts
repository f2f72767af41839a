/**
 * Mail to a remote SMTP server over `smtp://` must upgrade with STARTTLS (RFC 3207, RFC 8314 §4.1):
 * a server that does not offer it gets nothing, so a password-reset link is never sent in clear
 * across a network. Only loopback (a local Postfix, the development mailbox) may be plain.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { smtpTransportOptions } from '../../src/modules/mail/smtp-options.ts';
import { startSmtpReceiver } from './smtp-receiver.ts';

describe('SMTP transport options', () => {
  it('requires STARTTLS for smtp:// to another host, not for loopback or smtps://', () => {
    assert.equal(smtpTransportOptions('smtp://smtp-relay.gmail.com:587').requireTLS, true);
    assert.equal(smtpTransportOptions('smtp://user:pw@10.0.0.5:25').requireTLS, true);
    assert.equal(smtpTransportOptions('smtp://localhost:25').requireTLS, false);
    assert.equal(smtpTransportOptions('smtp://127.0.0.1:1025').requireTLS, false);
    assert.equal(smtpTransportOptions('smtp://[::1]:25').requireTLS, false);
    assert.equal(smtpTransportOptions('smtps://user:pw@smtp.example.com:465').requireTLS, false);
  });

  it('with the options of a remote host, a server that offers no STARTTLS receives nothing', async (t) => {
    const receiver = await startSmtpReceiver();
    t.after(() => receiver.close());
    const remote = smtpTransportOptions('smtp://smtp.example.com:25');
    // The remote host's options, pointed at the real server on loopback that offers no STARTTLS.
    const transport = nodemailer.createTransport({
      ...remote,
      url: undefined,
      host: '127.0.0.1',
      port: receiver.port,
    });
    t.after(() => transport.close());
    await assert.rejects(
      transport.sendMail({
        from: 'a@example.com',
        to: 'b@example.com',
        subject: 'reset',
        text: 'secret link',
      }),
      /STARTTLS/i,
    );
    assert.equal(receiver.received.length, 0);
  });
});
