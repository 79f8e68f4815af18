import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { AppointmentActions } from '@/components/appointments/appointment-actions';
import { agendaHref } from '@/components/appointments/agenda-range';
import { AppointmentDetail } from '@/components/appointments/appointment-detail';
import { MessageList } from '@/components/appointments/message-list';
import { NoteSection } from '@/components/notes/note-section';
import { listNotificationsForReservation } from '@/lib/notifications';
import { getAppointment, type AppointmentDetail as Detail } from '@/lib/appointments';
import { can } from '@/lib/auth/permissions';
import { localDateOf } from '@/lib/availability/time';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { isDomainError } from '@/lib/errors';
import { pageLocale } from '@/lib/i18n/page-locale';
import { cancelAppointmentAction, recordOutcomeAction } from '../actions';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('appointments.detail'))('title') };
}

export default async function AppointmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const now = new Date();
  let appointment: Detail;
  try {
    appointment = await getAppointment(actor, practice.profileId, { reservationId: id }, { now });
  } catch (err) {
    // Another practice's appointment does not exist for this practice's dashboard.
    if (isDomainError(err) && err.code === 'not_found') notFound();
    throw err;
  }
  const tz = practice.timeZone;
  const messages = await listNotificationsForReservation(actor, practice.profileId, { reservationId: appointment.id });
  const mayAct = can(practice.roles, 'appointments.manage');
  const [t, locale] = await Promise.all([getTranslations('appointments.detail'), pageLocale()]);
  return (
    <div className="space-y-4">
      <p>
        <Link href={agendaHref('day', localDateOf(appointment.startsAt, tz))} className="text-sm text-brand-700 hover:underline">
          {t('back')}
        </Link>
      </p>
      <AppointmentDetail
        appointment={appointment}
        timeZone={tz}
        country={practice.country}
        linkAs={Link}
        locale={locale}
        notes={
          <>
            <NoteSection
              actor={actor}
              profileId={practice.profileId}
              reservationId={appointment.id}
              startsAt={appointment.startsAt}
              status={appointment.status}
              timeZone={tz}
              locale={locale}
            />
            <MessageList messages={messages} timeZone={tz} locale={locale} />
          </>
        }
        actions={
          mayAct ? (
            <AppointmentActions
              profileId={practice.profileId}
              reservationId={appointment.id}
              patientName={appointment.patient.name}
              status={appointment.status}
              started={appointment.startsAt <= now}
              cancelAction={cancelAppointmentAction}
              outcomeAction={recordOutcomeAction}
            />
          ) : undefined
        }
      />
    </div>
  );
}
