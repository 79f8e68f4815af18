import { formatDateTime, formatTime, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { formatPhone } from '@/lib/phone';

/** What an "Add to calendar" entry says: the same title and description as the confirmation e-mail's file, in the page's language. */
export interface CalendarEntry {
  title: string;
  details: string;
  location: string | null;
  startsAt: Date;
  endsAt: Date;
}

export function calendarEntry(
  locale: Locale,
  a: { serviceName: string; practiceName: string; timeZone: string; address: string | null; phone: string | null; startsAt: Date; endsAt: Date },
): CalendarEntry {
  const when = `${formatDateTime(locale, a.startsAt, a.timeZone, { year: 'numeric' })}–${formatTime(locale, a.endsAt, a.timeZone)} (${zoneName(locale, a.timeZone)})`;
  const t = translator(locale, 'notifications.ics');
  const v = { service: a.serviceName, practice: a.practiceName, start: when };
  return {
    title: t('title', v),
    details: a.phone ? t('descriptionPhone', { ...v, phone: formatPhone(a.phone) }) : t('description', v),
    location: a.address,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
  };
}

/** 20301207T083000Z */
function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Google Calendar's "new event" page, filled in (UTC times: shown in the patient's own zone). */
export function googleCalendarHref(e: CalendarEntry): string {
  const q = new URLSearchParams({ action: 'TEMPLATE', text: e.title, dates: `${utcStamp(e.startsAt)}/${utcStamp(e.endsAt)}`, details: e.details });
  if (e.location) q.set('location', e.location);
  return `https://calendar.google.com/calendar/render?${q}`;
}

/** Outlook.com's "new event" page, filled in. */
export function outlookCalendarHref(e: CalendarEntry): string {
  const q = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: e.title,
    startdt: e.startsAt.toISOString(),
    enddt: e.endsAt.toISOString(),
    body: e.details,
  });
  if (e.location) q.set('location', e.location);
  return `https://outlook.live.com/calendar/0/deeplink/compose?${q}`;
}
