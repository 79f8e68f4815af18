'use server';

import { revalidatePath } from 'next/cache';
import { practiceAction } from '@/lib/actions';
import { updateSettings } from '@/lib/practice/settings';
import { settingsFormSchema } from '@/lib/validation/practice-settings';

const LABELS: Record<string, string> = {
  timeZone: 'time zone',
  slotMinutes: 'slot length',
  minNoticeMinutes: 'minimum notice',
  horizonDays: 'booking horizon',
  approvalWindowMinutes: 'approval window',
  reminderOffsetsMinutes: 'reminders',
  contactPhone: 'phone',
  contactEmail: 'e-mail',
  address: 'address',
  whatsappEnabled: 'WhatsApp',
};

export const updateSettingsAction = practiceAction(settingsFormSchema, ['admin'], async ({ profileId, ...data }, { db, actor }) => {
  const { changed, regenerated } = await updateSettings(db, actor, profileId, data);
  if (!changed.length) return { ok: true, message: 'Nothing changed.' };
  // The time zone shows on every dashboard page.
  revalidatePath('/dashboard', 'layout');
  const saved = `Saved: ${changed.map((k) => LABELS[k] ?? k).join(', ')}.`;
  return { ok: true, message: regenerated ? `${saved} The free times were regenerated; requested and booked times are unchanged.` : saved };
});
