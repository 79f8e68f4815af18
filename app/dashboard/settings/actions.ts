'use server';

import { practiceAction } from '@/lib/actions';
import { updateSettings } from '@/lib/practice/settings';

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
  requireTwoFactor: 'two-factor sign-in',
  idleTimeoutMinutes: 'idle timeout',
};

// The time zone shows on every dashboard page.
export const updateSettingsAction = practiceAction(updateSettings, { name: 'settings.update', revalidate: '/dashboard' }, ({ changed, regenerated }) => {
  if (!changed.length) return 'Nothing changed.';
  const saved = `Saved: ${changed.map((k) => LABELS[k] ?? k).join(', ')}.`;
  return regenerated ? `${saved} The free times were regenerated; requested and booked times are unchanged.` : saved;
});
