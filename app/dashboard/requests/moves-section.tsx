import { PendingMoves } from '@/components/requests/pending-moves';
import type { Actor } from '@/lib/auth/actor';
import { listPendingMoves } from '@/lib/booking/move-decide';
import { formatDateTime, formatSlot } from '@/lib/format';
import { approveMoveAction, rejectMoveAction } from './move-actions';

/** Issue 15: the appointments patients ask to move, above the pending requests. Nothing when there are none. */
export async function MovesSection({ actor, profileId, tz, now, canDecide }: { actor: Actor; profileId: string; tz: string; now: Date; canDecide: boolean }) {
  const moves = await listPendingMoves(actor, profileId, {}, { now });
  return (
    <PendingMoves
      profileId={profileId}
      canDecide={canDecide}
      approveAction={approveMoveAction}
      rejectAction={rejectMoveAction}
      moves={moves.map((m) => ({
        moveId: m.moveId,
        patientName: m.patient.name,
        contact: [m.patient.phone, m.patient.email].filter(Boolean).join(' · '),
        serviceName: `${m.service.name} (${m.service.durationMinutes} min)`,
        was: `${formatSlot(m.from.startsAt, m.from.endsAt, tz)}`,
        asks: `${formatSlot(m.to.startsAt, m.to.endsAt, tz)} (${tz})`,
        deadline: formatDateTime(m.deadline, tz),
      }))}
    />
  );
}
