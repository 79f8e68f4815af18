'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { setServiceActiveAction } from '@/app/dashboard/services/actions';
import { ActionButton } from '@/components/availability/form-kit';

/** Deactivates (soft delete) or reactivates a service. */
export function ServiceToggle({ profileId, serviceId, name, isActive }: { profileId: string; serviceId: string; name: string; isActive: boolean }) {
  const t = useTranslations('dashboard.services');
  return (
    <ActionButton
      action={setServiceActiveAction}
      fields={{ profileId, serviceId, active: String(!isActive) }}
      label={isActive ? t('deactivate') : t('reactivate')}
      pendingLabel={isActive ? t('deactivating') : t('reactivating')}
      confirm={isActive ? t('confirmDeactivate', { name }) : undefined}
    />
  );
}
