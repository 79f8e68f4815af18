'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import type { ActionState } from '@/lib/actions';
import { Button } from '@/components/ui/button';

type Action = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

export interface MemberRow {
  userId: string;
  name: string | null;
  email: string;
  roles: string[];
  joinedAt: string;
  emailVerified: boolean;
}

function Outcome({ state }: { state: ActionState | undefined }) {
  if (state?.error) {
    return (
      <p role="alert" className="text-sm text-red-800">
        {state.error}
      </p>
    );
  }
  if (state?.ok && state.message) {
    return (
      <p role="status" className="text-sm text-green-800">
        {state.message}
      </p>
    );
  }
  return null;
}

function MemberItem({ member, profileId, isSelf, changeRoles, remove }: { member: MemberRow; profileId: string; isSelf: boolean; changeRoles: Action; remove: Action }) {
  const [roleState, roleAction, rolePending] = useActionState(changeRoles, undefined);
  const [removeState, removeAction, removePending] = useActionState(remove, undefined);
  const who = member.name ?? member.email;
  const t = useTranslations('dashboard.members');
  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between" data-testid="member">
      <div>
        <p className="font-medium">
          {who} {isSelf && <span className="text-sm font-normal text-slate-600">{t('you')}</span>}
        </p>
        <p className="text-sm text-slate-700">
          {member.email}
          {!member.emailVerified && t('notConfirmed')}
        </p>
      </div>
      <div className="flex flex-col gap-2 sm:items-end">
        <form action={roleAction} className="flex flex-wrap items-center gap-3">
          <input type="hidden" name="profileId" value={profileId} />
          <input type="hidden" name="userId" value={member.userId} />
          <fieldset className="flex gap-3">
            <legend className="sr-only">{t('rolesOf', { name: who })}</legend>
            {(['doctor', 'admin', 'front_desk'] as const).map((role) => (
              <label key={role} className="flex items-center gap-1.5">
                <input type="checkbox" name="roles[]" value={role} defaultChecked={member.roles.includes(role)} className="h-4 w-4" />
                {t(`roles.${role}`)}
              </label>
            ))}
          </fieldset>
          <Button type="submit" variant="secondary" disabled={rolePending} aria-label={t('saveRolesOf', { name: who })}>
            {t('saveRoles')}
          </Button>
        </form>
        <form
          action={removeAction}
          onSubmit={(e) => {
            if (!window.confirm(t('removeConfirm', { name: who }))) e.preventDefault();
          }}
        >
          <input type="hidden" name="profileId" value={profileId} />
          <input type="hidden" name="userId" value={member.userId} />
          <Button type="submit" variant="danger" disabled={removePending} aria-label={t('removeOf', { name: who })}>
            {t('remove')}
          </Button>
        </form>
        <Outcome state={roleState} />
        <Outcome state={removeState} />
      </div>
    </li>
  );
}

/** The practice's members with their roles, each changeable and removable (admins only). */
export function MemberList({
  members,
  profileId,
  selfId,
  changeRoles,
  remove,
}: {
  members: MemberRow[];
  profileId: string;
  selfId: string;
  changeRoles: Action;
  remove: Action;
}) {
  const t = useTranslations('dashboard.members');
  return (
    <section aria-labelledby="members-heading" className="space-y-2">
      <h2 id="members-heading" className="text-lg font-semibold">
        {t('count', { count: members.length })}
      </h2>
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
        {members.map((m) => (
          <MemberItem key={m.userId} member={m} profileId={profileId} isSelf={m.userId === selfId} changeRoles={changeRoles} remove={remove} />
        ))}
      </ul>
    </section>
  );
}
