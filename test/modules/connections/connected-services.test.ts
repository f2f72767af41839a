/**
 * The Connected Services read model (src/modules/connections/connected-services.ts): what it
 * returns for linked and previously linked apps, and how it reads. The notifications table gains a
 * row with every unlink on the platform, so it is read by primary key for the previous links only,
 * never joined to the links: PostgreSQL hashed all of it on every page view.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { connectedServicesOf } from '../../../src/modules/connections/connected-services.ts';
import { setupConnected } from '../../connected/fixtures.ts';

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

const mentions = (value: unknown, table: string) => JSON.stringify(value ?? null).includes(`"${table}"`);

test('notifications are read by key for previous links only, never joined', async (t) => {
  const { app, db, person, case1 } = await setupConnected(t);
  const rec = recording(db);

  const before = await connectedServicesOf(rec.db, person.id);
  assert.equal(before.connected.length, 2);
  assert.equal(before.previous.length, 0);
  assert.equal(
    rec.nodes.filter((n) => mentions(n, 'notifications')).length,
    0,
    'no previous link: notifications are not read at all',
  );

  await app.services.connections.unlink({ accountId: person.id, appId: case1.app_id, by: 'delete_all' });
  rec.nodes.length = 0;
  const after = await connectedServicesOf(rec.db, person.id);
  assert.equal(after.connected.length, 1);
  assert.equal(after.previous.length, 1);
  assert.equal(after.previous[0]!.appId, case1.app_id);
  assert.equal(after.previous[0]!.notification?.status, 'pending');

  for (const node of rec.nodes) {
    const joins = (node as { joins?: unknown }).joins;
    assert.ok(!mentions(joins, 'notifications'), 'notifications must not be joined');
  }
  const reads = rec.nodes.filter((n) => mentions((n as { from?: unknown }).from, 'notifications'));
  assert.equal(reads.length, 1);
  assert.ok(mentions((reads[0] as { where?: unknown }).where, 'in'), 'read by id in (…)');
});
