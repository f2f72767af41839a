/**
 * Joining an app the only way there is: an invitation, accepted by the invited account. For tests
 * that need a team and are not about invitations (those are test/console/invitations.test.ts).
 */
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { normalizeEmail } from '../../src/modules/accounts/profile.ts';
import type { Actor } from '../../src/modules/apps/apps.types.ts';

/** The token at the end of an invitation link. */
export function tokenOfInvitation(url: string): string {
  const token = url.split('/invitations/')[1];
  assert.ok(token, `not an invitation link: ${url}`);
  return decodeURIComponent(token);
}

/** `inviter` invites `email` with `role`, and the account with that email accepts. */
export async function joinByInvitation(
  app: FastifyInstance,
  inviter: Actor,
  appId: number,
  input: { email: string; role: string },
): Promise<void> {
  const created = await app.services.apps.inviteMember(inviter, appId, input, {
    locale: 'en',
    siteUrl: app.config.issuer,
  });
  const invitee = await app.db
    .selectFrom('accounts')
    .select('id')
    .where('email_normalized', '=', normalizeEmail(input.email))
    .executeTakeFirstOrThrow();
  const answer = await app.services.apps.acceptInvitation(
    { accountId: invitee.id },
    tokenOfInvitation(created.url),
  );
  assert.deepEqual(answer, { ok: true, app_id: appId });
}
