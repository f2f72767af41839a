/**
 * The single authorization chokepoint for apps, so no route reaches storage without it.
 * Every read and change of an app in apps.service.ts passes through `authorize()`; nothing else
 * decides who may do what.
 *
 * - Not a member → not_found (404): an app's existence is not disclosed to outsiders.
 * - owner: everything, including deleting the app and granting or taking away ownership.
 * - admin: everything except deleting the app and ownership changes.
 * - member: read-only (secrets hidden).
 * - "Send test notification" is for owners and admins: each one is a real request to a URL of the
 *   app's choosing, so it is a change-level action, not a read (OWASP ASVS V11.1.4); it also has a
 *   cooldown per app (notifications/test-notification.ts).
 * - anyone may leave; an app always keeps at least one owner (apps.members.ts).
 */
import { AppError } from '../../errors/catalogue.ts';
import type { AppPermissions, AppRole } from './apps.types.ts';

export type AppAction =
  | 'read'
  | 'see_secrets'
  | 'update'
  | 'send_test_notification'
  | 'manage_members'
  | 'manage_owners'
  | 'leave'
  | 'delete';

const MATRIX: Record<AppAction, readonly AppRole[]> = {
  read: ['owner', 'admin', 'member'],
  send_test_notification: ['owner', 'admin'],
  see_secrets: ['owner', 'admin'],
  update: ['owner', 'admin'],
  manage_members: ['owner', 'admin'],
  manage_owners: ['owner'],
  // Anyone may leave an app (the last owner is kept by the members service).
  leave: ['owner', 'admin', 'member'],
  delete: ['owner'],
};

export function can(role: AppRole | undefined, action: AppAction): boolean {
  return role !== undefined && MATRIX[action].includes(role);
}

/**
 * @throws AppError('not_found') when the actor is not a member; AppError('forbidden') when the
 * member's role does not allow `action`.
 */
export function authorize(role: AppRole | undefined, action: AppAction): AppRole {
  if (role === undefined) throw new AppError('not_found');
  if (!can(role, action)) throw new AppError('forbidden');
  return role;
}

/**
 * Member management has one more rule: only owners may create, change or remove an owner
 * (admins manage admins and members).
 * @throws AppError('forbidden')
 */
export function authorizeMemberChange(
  actorRole: AppRole,
  from: AppRole | undefined,
  to: AppRole | undefined,
) {
  authorize(actorRole, 'manage_members');
  if ((from === 'owner' || to === 'owner') && !can(actorRole, 'manage_owners')) {
    throw new AppError('forbidden');
  }
}

export function permissionsOf(role: AppRole): AppPermissions {
  return {
    update: can(role, 'update'),
    see_secrets: can(role, 'see_secrets'),
    send_test_notification: can(role, 'send_test_notification'),
    manage_members: can(role, 'manage_members'),
    manage_owners: can(role, 'manage_owners'),
    delete: can(role, 'delete'),
  };
}
