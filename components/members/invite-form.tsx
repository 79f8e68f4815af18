'use client';

import { SimpleForm } from '@/components/signup/simple-form';
import type { ActionState } from '@/lib/actions';

type Action = (prev: ActionState | undefined, formData: FormData) => Promise<ActionState>;

export function InviteForm({ profileId, action }: { profileId: string; action: Action }) {
  return (
    <SimpleForm
      action={action}
      hidden={{ profileId }}
      className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end"
      fields={[{ label: 'E-mail to invite', name: 'email', type: 'email', autoComplete: 'off', required: true }]}
      select={{ label: 'Role', name: 'role', options: [{ value: 'doctor', label: 'Doctor' }, { value: 'admin', label: 'Admin' }, { value: 'front_desk', label: 'Front desk' }] }}
      submit="Send invitation"
    />
  );
}
