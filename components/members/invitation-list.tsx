'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import type { ActionState } from '@/lib/actions';
import { Button } from '@/components/ui/button';

type Action = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

export interface InvitationRow {
  id: string;
  email: string;
  roles: string[];
  createdAt: string;
  expiresAt: string;
  /** The expiry in words, in the page's language (UTC: the invitee's zone is unknown). */
  validUntil: string;
  expired: boolean;
}

function InvitationItem({ invitation, profileId, resend, revoke }: { invitation: InvitationRow; profileId: string; resend: Action; revoke: Action }) {
  const [resendState, resendAction, resending] = useActionState(resend, undefined);
  const [revokeState, revokeAction, revoking] = useActionState(revoke, undefined);
  const state = revokeState ?? resendState;
  const t = useTranslations('dashboard.members');
  return (
    <li className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between" data-testid="invitation">
      <div>
        <p className="font-medium">{invitation.email}</p>
        <p className="text-sm text-slate-700">
          {t('as', { roles: invitation.roles.map((r) => (r === 'doctor' || r === 'admin' || r === 'front_desk' ? t(`roles.${r}`) : r).toLowerCase()).join(', ') })} ·{' '}
          {invitation.expired ? t('expired') : t('validUntil', { when: invitation.validUntil })}
        </p>
        {state?.error && (
          <p role="alert" className="text-sm text-red-800">
            {state.error}
          </p>
        )}
        {state?.ok && state.message && (
          <p role="status" className="text-sm text-green-800">
            {state.message}
          </p>
        )}
      </div>
      {!revokeState?.ok && (
        <div className="flex gap-2">
          <form action={resendAction}>
            <input type="hidden" name="profileId" value={profileId} />
            <input type="hidden" name="invitationId" value={invitation.id} />
            <Button type="submit" variant="secondary" disabled={resending} aria-label={t('resendFor', { email: invitation.email })}>
              {t('resend')}
            </Button>
          </form>
          <form action={revokeAction}>
            <input type="hidden" name="profileId" value={profileId} />
            <input type="hidden" name="invitationId" value={invitation.id} />
            <Button type="submit" variant="danger" disabled={revoking} aria-label={t('revokeFor', { email: invitation.email })}>
              {t('revoke')}
            </Button>
          </form>
        </div>
      )}
    </li>
  );
}

/** Invitations not yet accepted, each resendable (a fresh link) or revocable. */
export function InvitationList({ invitations, profileId, resend, revoke }: { invitations: InvitationRow[]; profileId: string; resend: Action; revoke: Action }) {
  const t = useTranslations('dashboard.members');
  return (
    <section aria-labelledby="invitations-heading" className="space-y-2">
      <h2 id="invitations-heading" className="text-lg font-semibold">
        {t('pending')}
      </h2>
      {invitations.length === 0 ? (
        <p className="text-slate-700">{t('none')}</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {invitations.map((i) => (
            <InvitationItem key={i.id} invitation={i} profileId={profileId} resend={resend} revoke={revoke} />
          ))}
        </ul>
      )}
    </section>
  );
}
