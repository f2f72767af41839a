/**
 * App members: owners and admins manage members; only owners grant or take away
 * ownership (apps.policy.ts); an app always keeps at least one owner. Nobody is added directly:
 * joining an app is an invitation the person accepts (app-invitations.ts).
 */

import { AppError, validationError } from '../../errors/catalogue.ts';
import { createInvitationsService } from './app-invitations.ts';
import type { AppsContext } from './apps.context.ts';
import { authorize, authorizeMemberChange } from './apps.policy.ts';
import * as repo from './apps.repo.ts';
import type { Actor, AppRole } from './apps.types.ts';
import { parseRole } from './apps.validation.ts';

export function createMembersService(ctx: AppsContext) {
  const { db } = ctx;

  function parseRoleOrThrow(role: string): AppRole {
    const parsed = parseRole('role', role);
    if (parsed.issues.length) throw validationError(parsed.issues);
    return parsed.value as AppRole;
  }

  /** @throws AppError('validation_failed' | 'not_found' | 'forbidden' | 'app_last_owner') */
  async function changeMemberRole(
    actor: Actor,
    appId: number,
    accountId: string,
    newRole: string,
  ): Promise<void> {
    const actorRole = await ctx.access(actor, appId, 'manage_members');
    const role = parseRoleOrThrow(newRole);
    await db.transaction().execute(async (trx) => {
      const current = await repo.memberRole(trx, appId, accountId);
      if (!current) throw new AppError('not_found');
      authorizeMemberChange(actorRole, current, role);
      if (current === 'owner' && role !== 'owner' && (await repo.countOwners(trx, appId)) <= 1)
        throw new AppError('app_last_owner');
      await repo.setMemberRole(trx, appId, accountId, role);
    });
  }

  /**
   * Removes a member, or lets the actor leave (`accountId` = the actor's own id).
   * @throws AppError('not_found' | 'forbidden' | 'app_last_owner')
   */
  async function removeMember(actor: Actor, appId: number, accountId: string): Promise<void> {
    const actorRole = await ctx.access(actor, appId, 'read');
    await db.transaction().execute(async (trx) => {
      const current = await repo.memberRole(trx, appId, accountId);
      if (!current) throw new AppError('not_found');
      if (accountId === actor.accountId) authorize(actorRole, 'leave');
      else authorizeMemberChange(actorRole, current, undefined);
      if (current === 'owner' && (await repo.countOwners(trx, appId)) <= 1)
        throw new AppError('app_last_owner');
      await repo.deleteMember(trx, appId, accountId);
    });
  }

  return { changeMemberRole, removeMember, ...createInvitationsService(ctx) };
}
