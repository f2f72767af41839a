/**
 * The development mailbox: an SMTP receiver on loopback that `yeon serve` starts when no
 * YEON_SMTP_URL is set outside production, so every mail the platform sends can be read at
 * `/dev/mailbox` without an account at a mail provider. Never started in production
 * (config refuses production without YEON_SMTP_URL).
 *
 * Received mail is parsed (mailparser) and kept newest first, at most `limit` messages, in memory
 * and in `<data dir>/dev-mailbox.json`, so it survives a restart. Loopback only, no TLS, any
 * login accepted: it is a development tool and must not be reachable from elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface MailboxMessage {
  id: string;
  receivedAt: number;
  messageId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  /** the HTML part as received; shown only inside a sandboxed frame */
  html: string | null;
  language: string | null;
}

export interface DevMailbox {
  /** `smtp://127.0.0.1:<port>`: what the mail dispatcher sends to */
  smtpUrl: string;
  /** newest first */
  list(): MailboxMessage[];
  get(id: string): MailboxMessage | undefined;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

function readStored(file: string | undefined): MailboxMessage[] {
  if (!file) return [];
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(stored) ? (stored as MailboxMessage[]) : [];
  } catch {
    return [];
  }
}

export async function startDevMailbox(
  options: { dataDir?: string; limit?: number } = {},
): Promise<DevMailbox> {
  // Imported here, not at the top: production never runs the mailbox, and the two packages weigh
  // some 40 MB resident and a few hundred milliseconds of start-up.
  const [{ simpleParser }, { SMTPServer }] = await Promise.all([import('mailparser'), import('smtp-server')]);
  const limit = options.limit ?? 200;
  const file = options.dataDir ? path.join(options.dataDir, 'dev-mailbox.json') : undefined;
  let messages = readStored(file).slice(0, limit);

  function persist() {
    if (!file) return;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      // Written aside and renamed, so a crash mid-write never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(messages));
      renameSync(`${file}.tmp`, file);
    } catch {
      // The mailbox still works in memory; losing the copy on disk only loses it across a restart.
    }
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'dev' }),
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          messages = [
            {
              id: randomBytes(8).toString('hex'),
              receivedAt: Date.now(),
              messageId: parsed.messageId ?? null,
              from: parsed.from?.text ?? '',
              to: (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [])
                .map((a) => a.text)
                .join(', '),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : null,
              language: String(parsed.headers.get('content-language') ?? '') || null,
            },
            ...messages,
          ].slice(0, limit);
          persist();
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    list: () => messages,
    get: (id) => messages.find((m) => m.id === id),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
