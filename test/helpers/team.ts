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

/**
 * Confirms an address the way its owner does: with the confirmation link that sign-up mailed
 * (taken from the mail outbox), through the email verification service.
 */
export async function confirmEmail(app: FastifyInstance, email: string): Promise<void> {
  const mail = await app.db
    .selectFrom('mail_outbox')
    .select('params')
    .where('kind', '=', 'verify_email')
    .where('to_address', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const url = new URL((JSON.parse(mail.params) as { url: string }).url);
  await app.services.emailVerification.confirm(url.searchParams.get('token') ?? '');
}

/**
 * `inviter` invites `email` with `role`, and the account with that email accepts. Accepting needs
 * a confirmed address, so the fixture marks it confirmed (tests of confirmation itself are the
 * recovery tests'; test/console/invitations.test.ts confirms through the mailed link).
 */
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
  await app.db
    .updateTable('accounts')
    .set({ email_verified_at: Date.now() })
    .where('id', '=', invitee.id)
    .where('email_verified_at', 'is', null)
    .execute();
  const answer = await app.services.apps.acceptInvitation(
    { accountId: invitee.id },
    tokenOfInvitation(created.url),
  );
  assert.deepEqual(answer, { ok: true, app_id: appId });
}
