/**
 * `/developers/apps/:appId/members`: who belongs to the app and with which role, the invitations
 * waiting for an answer, and the form to invite someone.
 * Owners and admins manage members; only owners grant or take away ownership (apps.policy.ts) —
 * the page offers only what the viewer's permissions allow, and the service enforces it anyway.
 * Sending an invitation answers `InvitationCreatedPage`, which names neither the email nor whether
 * it has an account, so the answer is the same for both (app-invitations.ts).
 */
import type { SafeHtml } from '#jsx/jsx-runtime';
import type { FieldIssue } from '../../../errors/catalogue.ts';
import type { CreatedInvitation, PendingInvitation } from '../../../modules/apps/app-invitations.ts';
import { APP_ROLES, type AppDetail, type AppMember, type AppRole } from '../../../modules/apps/apps.types.ts';
import { CsrfField, Field, issuesByField } from '../../components/form.tsx';
import type { ViewContext } from '../../view-context.ts';
import { ActionForm } from './console-form.tsx';
import { appPath, ConsoleShell, formatDate, roleLabel } from './console-shell.tsx';

export interface InviteMemberValues {
  email: string;
  role: string;
}

function RoleSelect(props: {
  ctx: ViewContext;
  id: string;
  label: string;
  value: string;
  roles: readonly AppRole[];
  hiddenLabel?: boolean;
}): SafeHtml {
  const { ctx } = props;
  return (
    <div class="field">
      <label for={props.id} class={props.hiddenLabel ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      <select id={props.id} name="role">
        {props.roles.map((r) => (
          <option value={r} selected={r === props.value}>
            {roleLabel(ctx, r)}
          </option>
        ))}
      </select>
    </div>
  );
}

function MemberRow(props: {
  ctx: ViewContext;
  app: AppDetail;
  member: AppMember;
  viewerId: string;
}): SafeHtml {
  const { ctx, app, member } = props;
  const { t } = ctx;
  const perms = app.permissions;
  // Admins may not touch owners; owners may change anyone (the service has the last word).
  const canManage = perms.manage_members && (member.role !== 'owner' || perms.manage_owners);
  const roles = perms.manage_owners ? APP_ROLES : APP_ROLES.filter((r) => r !== 'owner');
  const base = `${appPath(app.id, 'members')}/${encodeURIComponent(member.account_id)}`;
  const isMe = member.account_id === props.viewerId;
  return (
    <li class="member">
      <p>
        <strong>{member.nickname}</strong>{' '}
        {isMe ? <span class="muted">{t('console.members.you')}</span> : null}
        <br />
        <span class="mono">{member.email}</span>
        <br />
        <span class="muted">
          {roleLabel(ctx, member.role)} ·{' '}
          {t('console.members.since', { date: formatDate(ctx, member.created_at) })}
        </span>
      </p>
      {isMe ? (
        <ActionForm
          action={`${base}/remove`}
          csrfToken={ctx.csrfToken}
          label={t('console.members.leave')}
          variant="secondary"
        />
      ) : null}
      {canManage && !isMe ? (
        <div class="row-actions">
          <form method="post" action={`${base}/role`} class="inline-form">
            <CsrfField token={ctx.csrfToken} />
            <RoleSelect
              ctx={ctx}
              id={`role-${member.account_id}`}
              label={`${t('console.members.role')}: ${member.email}`}
              value={member.role}
              roles={roles}
              hiddenLabel
            />
            <button type="submit" class="secondary">
              {t('console.members.change')}
            </button>
          </form>
          <ActionForm
            action={`${base}/remove`}
            csrfToken={ctx.csrfToken}
            label={`${t('console.members.remove')}`}
            variant="danger"
            describedBy={`member-${member.account_id}`}
          >
            <span class="visually-hidden" id={`member-${member.account_id}`}>
              {member.email}
            </span>
          </ActionForm>
        </div>
      ) : null}
    </li>
  );
}

function PendingInvitations(props: {
  ctx: ViewContext;
  app: AppDetail;
  invitations: PendingInvitation[];
}): SafeHtml {
  const { ctx, app } = props;
  const { t } = ctx;
  const perms = app.permissions;
  return (
    <section aria-labelledby="pending-invitations">
      <h2 id="pending-invitations">{t('invitations.pending.title')}</h2>
      {props.invitations.length === 0 ? (
        <p class="muted">{t('invitations.pending.none')}</p>
      ) : (
        <ul class="list">
          {props.invitations.map((inv) => (
            <li class="member">
              <p>
                <span class="mono">{inv.email}</span>
                <br />
                <span class="muted">
                  {t('invitations.pending.meta', {
                    role: roleLabel(ctx, inv.role),
                    inviter: inv.invited_by_nickname,
                    date: formatDate(ctx, inv.expires_at),
                  })}
                </span>
              </p>
              {inv.role !== 'owner' || perms.manage_owners ? (
                <ActionForm
                  action={`${appPath(app.id, 'members')}/invitations/${encodeURIComponent(inv.id)}/revoke`}
                  csrfToken={ctx.csrfToken}
                  label={t('invitations.pending.revoke')}
                  variant="danger"
                  describedBy={`invitation-${inv.id}`}
                >
                  <span class="visually-hidden" id={`invitation-${inv.id}`}>
                    {inv.email}
                  </span>
                </ActionForm>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MembersPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  viewerId: string;
  invitations: PendingInvitation[];
  values?: InviteMemberValues;
  issues?: FieldIssue[];
  notice?: string;
  message?: string;
}): SafeHtml {
  const { ctx, app, issues = [] } = props;
  const { t } = ctx;
  const by = issuesByField(issues);
  const v = props.values ?? { email: '', role: 'member' };
  const roles = app.permissions.manage_owners ? APP_ROLES : APP_ROLES.filter((r) => r !== 'owner');
  return (
    <ConsoleShell
      ctx={ctx}
      app={app}
      section="members"
      notice={props.notice}
      issues={issues}
      message={props.message}
    >
      <p class="lead">{t('console.members.lead')}</p>
      <ul class="list">
        {app.members.map((member) => (
          <MemberRow ctx={ctx} app={app} member={member} viewerId={props.viewerId} />
        ))}
      </ul>
      {app.permissions.manage_members ? (
        <PendingInvitations ctx={ctx} app={app} invitations={props.invitations} />
      ) : null}
      {app.permissions.manage_members ? (
        <section aria-labelledby="invite-member" class="card">
          <h2 id="invite-member">{t('invitations.invite.title')}</h2>
          <form method="post" action={appPath(app.id, 'members')} novalidate>
            <CsrfField token={ctx.csrfToken} />
            <Field
              t={t}
              name="email"
              type="email"
              label={t('console.members.email')}
              hint={t('invitations.invite.hint', { platform: ctx.platformName })}
              value={v.email}
              issue={by.email}
              required
              autocomplete="off"
            />
            <RoleSelect ctx={ctx} id="role" label={t('console.members.role')} value={v.role} roles={roles} />
            {by.role ? <p class="field-error">{t(by.role.message, by.role.params)}</p> : null}
            <button type="submit">{t('invitations.invite.submit')}</button>
          </form>
        </section>
      ) : (
        <p class="muted">{t('console.members.manage_hint')}</p>
      )}
    </ConsoleShell>
  );
}

/**
 * The answer to "invite": the link, shown this once (only its hash is stored). It shows the role
 * and the expiry but not the email, and nothing that depends on whether the email has an account.
 */
export function InvitationCreatedPage(props: {
  ctx: ViewContext;
  app: AppDetail;
  invitation: CreatedInvitation;
}): SafeHtml {
  const { ctx, app, invitation } = props;
  const { t } = ctx;
  return (
    <ConsoleShell ctx={ctx} app={app} section="members">
      <section aria-labelledby="invitation-created" class="card">
        <h2 id="invitation-created">{t('invitations.created.title')}</h2>
        <p>{t('invitations.created.lead')}</p>
        <p>{t('invitations.created.role', { role: roleLabel(ctx, invitation.role) })}</p>
        <div class="field">
          <label for="invitation-link">{t('invitations.created.link')}</label>
          <p class="hint" id="invitation-link-hint">
            {t('invitations.created.once', { date: formatDate(ctx, invitation.expires_at) })}
          </p>
          <input
            id="invitation-link"
            type="text"
            class="mono"
            readonly
            value={invitation.url}
            aria-describedby="invitation-link-hint"
          />
        </div>
        <p>
          <a href={appPath(app.id, 'members')}>{t('invitations.created.back')}</a>
        </p>
      </section>
    </ConsoleShell>
  );
}
