'use client';

import { setServiceActiveAction } from '@/app/dashboard/services/actions';
import { ActionButton } from '@/components/availability/form-kit';

/** Deactivates (soft delete) or reactivates a service. */
export function ServiceToggle({ profileId, serviceId, name, isActive }: { profileId: string; serviceId: string; name: string; isActive: boolean }) {
  return (
    <ActionButton
      action={setServiceActiveAction}
      fields={{ profileId, serviceId, active: String(!isActive) }}
      label={isActive ? 'Deactivate' : 'Reactivate'}
      pendingLabel={isActive ? 'Deactivating…' : 'Reactivating…'}
      confirm={
        isActive ? `Deactivate ${name}? Patients will no longer see it; its past and booked appointments stay as they are.` : undefined
      }
    />
  );
}
