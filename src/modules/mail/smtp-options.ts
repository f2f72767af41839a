/**
 * nodemailer's transport options for YEON_SMTP_URL.
 *
 * - `smtps://` is TLS from the first byte (RFC 8314 §3.3, implicit TLS, port 465).
 * - `smtp://` to another host must upgrade with STARTTLS (RFC 3207): `requireTLS` refuses to send
 *   when the server does not offer it, so an attacker on the path cannot strip the upgrade and
 *   read password-reset links in clear (RFC 8314 §4.1: no cleartext fallback). Only a server on
 *   loopback (a local Postfix, the development mailbox) may be spoken to in clear.
 * - Every step is bounded, so one attempt ends well within the dispatcher's lease.
 */
import { isIP } from 'node:net';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

const CONNECT_TIMEOUT_MS = 20_000;
const SOCKET_TIMEOUT_MS = 60_000;

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

export function smtpTransportOptions(smtpUrl: string): SMTPTransport.Options {
  const url = new URL(smtpUrl);
  return {
    url: smtpUrl,
    requireTLS: url.protocol === 'smtp:' && !isLoopbackHost(url.hostname),
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  };
}
