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
  frontDeskDecides: 'front desk decisions',
  country: 'country',
  defaultLocale: 'language',
  cancellationPolicy: 'cancellation policy',
  moveCutoffMinutes: 'move cut-off',
  maxMovesPerRequest: 'moves per request',
};

// The time zone shows on every dashboard page. The address, phone and policy also show on the
// public booking and request pages: those are rendered per request (force-dynamic), never cached,
// so a change is there at once (patient-side.spec checks it).
export const updateSettingsAction = practiceAction(updateSettings, { name: 'settings.update', revalidate: '/dashboard' }, ({ changed, regenerated }) => {
  if (!changed.length) return 'Nothing changed.';
  const saved = `Saved: ${changed.map((k) => LABELS[k] ?? k).join(', ')}.`;
  return regenerated ? `${saved} The free times were regenerated; requested and booked times are unchanged.` : saved;
});
