import { calendarEntry } from '@/components/booking/calendar-links';
import { appointmentByToken } from '@/lib/booking/calendar-event';
import { pageLocale } from '@/lib/i18n/page-locale';
import { appointmentIcs } from '@/lib/notifications/ics';

export const dynamic = 'force-dynamic';

/**
 * GET /requests/{token}/calendar: the confirmed appointment as an .ics file (the same UID as the
 * confirmation e-mail's, so importing both keeps one entry). 404 unless the request is a confirmed
 * appointment. Its title and description are in the language of the page it is downloaded from.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const appointment = await appointmentByToken((await params).token);
  if (!appointment) return new Response('No confirmed appointment for this link.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  const entry = calendarEntry(await pageLocale(), appointment);
  const ics = appointmentIcs({ reservationId: appointment.reservationId, startsAt: entry.startsAt, endsAt: entry.endsAt, title: entry.title, description: entry.details, location: entry.location });
  return new Response(ics, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8; method=PUBLISH',
      'Content-Disposition': 'attachment; filename="appointment.ics"',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'same-origin',
      'X-Robots-Tag': 'noindex',
    },
  });
}
