/**
 * Every message key is used somewhere under src/: a key no code names is text nobody sees, and it
 * still has to be translated and kept true. A key counts as used when it appears as a whole string
 * literal ('…', "…" or `…`) in a source file outside src/i18n/messages/, or when it starts with
 * one of the prefixes below, which code completes at run time.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const MESSAGES = path.join(root, 'src/i18n/messages');

/** Keys completed at run time from a closed set of values: the set is what keeps them honest. */
const DYNAMIC_PREFIXES = [
  // one per consent item, named from CONSENT_ITEMS (src/modules/apps/apps.types.ts)
  'interaction.item.',
  'interaction.item_about.',
  // one per way a link ends (UnlinkedBy in src/modules/connections/connections.service.ts)
  'history.event.unlinked.',
  // one per notification state (NotificationState in src/modules/connections/connection-history.ts)
  'connected.notification.',
  // one per security event kind (src/modules/security/security-events.ts)
  'security.event.',
  // zxcvbn's feedback, keyed by its warning and suggestion codes (password-strength.ts)
  'recovery.strength.warning.',
  'recovery.strength.suggestion.',
  // why a callback address is refused (src/modules/apps/apps.settings.ts, result.reason)
  'apps.destination.',
  // OAuth error codes (RFC 6749 §4.1.2.1, §5.2) shown on the error page by their code
  'oauth.',
  // the language switch names the other locale by its code (src/views/layout.tsx)
  'lang.',
  // an invitation's refusal reason and role, by their codes (invitation-page.tsx)
  'invitations.refused.',
  'invitations.page.role_',
  // the console's roles, sections (tab and page title), consent items and levels, callback states,
  // formats and delivery errors, by their codes (console-shell.tsx, consent-page.tsx, unlink-page.tsx)
  'console.role.',
  'console.nav.',
  'console.consent.item.',
  'console.consent.mode.',
  'console.unlink.state.',
  'console.unlink.format.',
  'console.unlink.error.',
  // the delivery log's states, durations, pause reasons, callback health and events (deliveries-*.tsx)
  'deliveries.state.',
  'deliveries.duration.',
  'deliveries.banner.paused_',
  'deliveries.health.',
  'deliveries.event.',
  // key kinds and overlaps, by their codes (key-rotation-section.tsx)
  'console.rotation.kind_',
  'console.rotation.overlap_',
];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (p !== MESSAGES) sourceFiles(p, out);
    } else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Every whole string literal in the sources outside the message tables. */
function literalsInSources(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(['"`])([a-z][\w.-]*)\1/g)) found.add(m[2]!);
  }
  return found;
}

async function keysByArea(): Promise<Array<{ area: string; keys: string[] }>> {
  const areas = [];
  for (const file of readdirSync(MESSAGES)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const table = (await import(path.join(MESSAGES, file))) as { default: { en: Record<string, string> } };
    areas.push({ area: file, keys: Object.keys(table.default.en) });
  }
  return areas;
}

describe('message keys', () => {
  test('every key in src/i18n/messages is named by some source file under src/', async () => {
    const used = literalsInSources();
    const isUsed = (key: string) => used.has(key) || DYNAMIC_PREFIXES.some((p) => key.startsWith(p));
    const unused: string[] = [];
    for (const { area, keys } of await keysByArea())
      for (const key of keys.filter((k) => !isUsed(k))) unused.push(`${area}: ${key}`);
    assert.deepEqual(unused, [], `unused message keys:\n  ${unused.join('\n  ')}`);
  });

  test('every allowed prefix still matches a key, so the list cannot outlive what it excuses', async () => {
    const keys = (await keysByArea()).flatMap((a) => a.keys);
    for (const prefix of DYNAMIC_PREFIXES)
      assert.ok(
        keys.some((k) => k.startsWith(prefix)),
        `no key starts with ${prefix}`,
      );
  });
});
