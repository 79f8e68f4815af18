import { PendingMoves } from '@/components/requests/pending-moves';
import type { Actor } from '@/lib/auth/actor';
import { listPendingMoves } from '@/lib/booking/move-decide';
import { zoneLabel } from '@/components/booking/zone-name';
import { formatDateTime, formatSlot } from '@/lib/format';
import { formatPhone } from '@/lib/phone';
import { approveMoveAction, rejectMoveAction } from './move-actions';

/** Issue 15: the appointments patients ask to move, above the pending requests. Nothing when there are none. */
export async function MovesSection({ actor, profileId, tz, now, canDecide }: { actor: Actor; profileId: string; tz: string; now: Date; canDecide: boolean }) {
  const moves = await listPendingMoves(actor, profileId, {}, { now });
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
        serviceName: `${m.service.name} (${m.service.durationMinutes} min)`,
        was: `${formatSlot(m.from.startsAt, m.from.endsAt, tz)}`,
        asks: `${formatSlot(m.to.startsAt, m.to.endsAt, tz)} (${zoneLabel(tz)})`,
        deadline: formatDateTime(m.deadline, tz),
      }))}
    />
  );
}
