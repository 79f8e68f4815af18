'use server';

import { revalidatePath } from 'next/cache';
import { practiceAction } from '@/lib/actions';
import { createService, setServiceActive, updateService } from '@/lib/catalog';
import { serviceFormSchema, serviceFromForm, serviceToggleFormSchema, serviceUpdateFormSchema } from '@/lib/validation/catalog';

const PATH = '/dashboard/services';

export const createServiceAction = practiceAction(serviceFormSchema, ['admin'], async (data, { db, actor }) => {
  const service = await createService(db, actor, data.profileId, serviceFromForm(data));
  revalidatePath(PATH);
  return { ok: true, message: `${service.name} was added to the catalog.` };
});

export const updateServiceAction = practiceAction(serviceUpdateFormSchema, ['admin'], async (data, { db, actor }) => {
  const service = await updateService(db, actor, data.profileId, data.serviceId, serviceFromForm(data));
  revalidatePath(PATH);
  return { ok: true, message: `${service.name} was saved.` };
});

export const setServiceActiveAction = practiceAction(serviceToggleFormSchema, ['admin'], async (data, { db, actor }) => {
  const service = await setServiceActive(db, actor, data.profileId, data.serviceId, data.active);
  revalidatePath(PATH);
  return { ok: true, message: `${service.name} is now ${service.isActive ? 'active' : 'inactive'}.` };
});
