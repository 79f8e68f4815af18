'use server';

import { actionTranslator, practiceAction } from '@/lib/actions';
import { createService, setServiceActive, updateService } from '@/lib/catalog';

// lib/catalog parses the form as posted (the price as typed, "45.00") and checks the actor.

const revalidate = '/dashboard/services';

export const createServiceAction = practiceAction(createService, { name: 'services.create', revalidate }, async (s) => (await actionTranslator('dashboard.services'))('added', { name: s.name }));

export const updateServiceAction = practiceAction(updateService, { name: 'services.update', revalidate }, async (s) => (await actionTranslator('dashboard.services'))('saved', { name: s.name }));

export const setServiceActiveAction = practiceAction(
  setServiceActive,
  { name: 'services.set_active', revalidate },
  async (s) => (await actionTranslator('dashboard.services'))('nowActive', { name: s.name, active: String(s.isActive) }),
);
