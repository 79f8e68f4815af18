'use server';

import { practiceAction } from '@/lib/actions';
import { createService, setServiceActive, updateService } from '@/lib/catalog';

// lib/catalog parses the form as posted (the price as typed, "45.00") and checks the actor.

const revalidate = '/dashboard/services';

export const createServiceAction = practiceAction(createService, { name: 'services.create', revalidate }, (s) => `${s.name} was added to the catalog.`);

export const updateServiceAction = practiceAction(updateService, { name: 'services.update', revalidate }, (s) => `${s.name} was saved.`);

export const setServiceActiveAction = practiceAction(
  setServiceActive,
  { name: 'services.set_active', revalidate },
  (s) => `${s.name} is now ${s.isActive ? 'active' : 'inactive'}.`,
);
