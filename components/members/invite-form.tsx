'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { SimpleForm } from '@/components/signup/simple-form';
import type { ActionState } from '@/lib/actions';

type Action = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

export function InviteForm({ profileId, action }: { profileId: string; action: Action }) {
  const t = useTranslations('dashboard.members');
  return (
    <SimpleForm
      action={action}
      hidden={{ profileId }}
      className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end"
      fields={[{ label: t('emailToInvite'), name: 'email', type: 'email', autoComplete: 'off', required: true }]}
      select={{
        label: t('role'),
        name: 'role',
        options: [
          { value: 'doctor', label: t('roles.doctor') },
          { value: 'admin', label: t('roles.admin') },
          { value: 'front_desk', label: t('roles.front_desk') },
        ],
      }}
      submit={t('sendInvitation')}
    />
  );
}
