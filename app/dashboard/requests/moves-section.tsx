import { getTranslations } from 'next-intl/server';
import { PendingMoves } from '@/components/requests/pending-moves';
import type { Actor } from '@/lib/auth/actor';
import { listPendingMoves } from '@/lib/booking/move-decide';
import { formatDateTime, formatSlot, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { formatPhone } from '@/lib/phone';
import { approveMoveAction, rejectMoveAction } from './move-actions';

/** Issue 15: the appointments patients ask to move, above the pending requests. Nothing when there are none. */
export async function MovesSection({ actor, profileId, tz, now, canDecide, locale }: { actor: Actor; profileId: string; tz: string; now: Date; canDecide: boolean; locale: Locale }) {
  const [moves, t] = await Promise.all([listPendingMoves(actor, profileId, {}, { now }), getTranslations('requests.moves')]);
  const country = actor.memberships.find((m) => m.profileId === profileId)?.country;
  return (
    <PendingMoves
      profileId={profileId}
      canDecide={canDecide}
      approveAction={approveMoveAction}
      rejectAction={rejectMoveAction}
      moves={moves.map((m) => ({
        moveId: m.moveId,
        patientName: m.patient.name,
        contact: [formatPhone(m.patient.phone, country), m.patient.email].filter(Boolean).join(' · '),
        serviceName: t('serviceDetail', { name: m.service.name, minutes: m.service.durationMinutes }),
        was: formatSlot(locale, m.from.startsAt, m.from.endsAt, tz),
        asks: `${formatSlot(locale, m.to.startsAt, m.to.endsAt, tz)} (${zoneName(locale, tz)})`,
        deadline: formatDateTime(locale, m.deadline, tz),
      }))}
    />
  );
}
