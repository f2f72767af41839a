/**
 * The Connected Services list's reads (src/modules/connections/connected-services.ts): the links
 * with their apps in one statement; the history rows (consent rows, consent events,
 * notifications) only when a link has ended, and only for the apps whose link has ended. The
 * notifications table gains a row with every unlink on the platform, so it is never joined to the
 * links: PostgreSQL hashed all of it on every page view.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { connectedServicesOf } from '../../../src/modules/connections/connected-services.ts';
import { createDeveloperApp, setupConnected } from '../../connected/fixtures.ts';

/** The operation trees of the queries run through the returned handle. */
function recording<T extends { withPlugin(p: KyselyPlugin): T }>(db: T) {
  const nodes: RootOperationNode[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      nodes.push(node);
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), nodes };
}

const mentions = (value: unknown, text: string) => JSON.stringify(value ?? null).includes(`"${text}"`);
const fromOf = (node: RootOperationNode) => (node as { from?: unknown }).from;

test('with no ended link the list is one statement: the links with their apps', async (t) => {
  const { db, person, case1, case2 } = await setupConnected(t);
  const rec = recording(db);

  const listed = await connectedServicesOf(rec.db, person.id);
  assert.deepEqual(
    listed.connected.map((c) => c.appId),
    [case2.app_id, case1.app_id],
    'newest link first',
  );
  assert.equal(listed.connected[0]!.hasUnlinkCallback, false);
  assert.equal(listed.connected[1]!.hasUnlinkCallback, true);
  assert.deepEqual(listed.previous, []);
  assert.equal(listed.hasHistory, true);
  assert.equal(rec.nodes.length, 1, 'one statement');
  assert.ok(mentions(fromOf(rec.nodes[0]!), 'connections'));
  for (const table of ['connection_consents', 'consent_events', 'notifications'])
    assert.ok(!mentions(rec.nodes, table), `${table} is not read`);
});

test('an ended link adds the history rows of the ended apps only, never joining notifications to links', async (t) => {
  const { app, db, owner, person, case1 } = await setupConnected(t);
  // A third app, linked and left linked: its rows must not be read for the history.
  const other = await createDeveloperApp(app, owner.id, { name: 'Third Shop' });
  await app.services.connections.agree({
    accountId: person.id,
    appId: other.app_id,
    items: ['profile_nickname'],
  });
  await app.services.connections.withdraw({
    accountId: person.id,
    appId: case1.app_id,
    item: 'account_email',
  });
  await app.services.connections.unlink({ accountId: person.id, appId: case1.app_id, by: 'delete_all' });
  const rec = recording(db);

  const listed = await connectedServicesOf(rec.db, person.id);
  assert.equal(listed.connected.length, 2);
  assert.ok(!listed.connected.some((c) => c.appId === case1.app_id));
  assert.deepEqual(
    listed.previous.map((g) => g.appId),
    [case1.app_id],
  );
  const events = listed.previous[0]!.events;
  const unlinked = events.find((e) => e.kind === 'unlinked');
  assert.ok(unlinked && unlinked.kind === 'unlinked');
  assert.equal(unlinked.notification?.state, 'pending', 'the unlink notification is found');
  assert.ok(
    events.some((e) => e.kind === 'withdrawn'),
    'the withdrawal before the unlink is told',
  );
  assert.ok(events.some((e) => e.kind === 'agreed'));

  assert.equal(rec.nodes.length, 4, 'the links, then consent rows, consent events and notifications');
  for (const node of rec.nodes.slice(1)) {
    assert.ok(mentions((node as { where?: unknown }).where, 'in'), 'restricted to the ended apps');
    assert.ok(
      !mentions((node as { joins?: unknown }).joins, 'notifications'),
      'notifications are never joined',
    );
  }
  const reads = rec.nodes.filter((n) => mentions(fromOf(n), 'notifications'));
  assert.equal(reads.length, 1);
  assert.ok(!mentions((reads[0] as { joins?: unknown }).joins, 'connections'), 'not joined to the links');
});
