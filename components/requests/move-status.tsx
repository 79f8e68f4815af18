import Link from 'next/link';
import { zoneLabel } from '@/components/booking/zone-name';
import { moveContext } from '@/lib/booking/move';
import { formatDateTime, formatTime } from '@/lib/format';
import { WithdrawMove } from './move-forms';

/**
 * Issue 15, on the request's status page: "Move to another time" while the request may move; a move
 * waiting for the practice (with "Keep my current time"); and, just after a move, what happened.
 */
export async function MoveStatus({ token, justMoved }: { token: string; justMoved: boolean }) {
  const context = await moveContext(token);
  const tz = context.profile.timeZone;
  const live = context.status === 'pending' || context.status === 'approved';
  if (!live) return null;
  const move = context.pendingMove;
  return (
    <section aria-labelledby="move-heading" className="mt-8" data-testid="move-status">
      <h2 id="move-heading" className="text-xl font-semibold">
        Another time?
      </h2>
      {justMoved && (
        <p role="status" className="mt-2 rounded-md border border-green-600 bg-green-50 p-3 text-green-950">
          {move
            ? 'Asked: the practice will tell you whether they can move your appointment. Until then it stays at its time.'
            : 'Moved: your request now asks for the new time, and the earlier one is free again.'}
        </p>
      )}
      {move ? (
        <div className="mt-2 rounded-lg border border-amber-400 bg-amber-50 p-4">
          <p>
            You asked to move to{' '}
            <strong>
              {formatDateTime(move.toStartsAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–{formatTime(move.toEndsAt, tz)} ({zoneLabel(tz)})
            </strong>
            . The practice answers by {formatDateTime(move.deadline, tz)}; without an answer your appointment stays as it is.
          </p>
          <WithdrawMove token={token} />
        </div>
      ) : context.refusal ? (
        <p className="mt-2 text-slate-700">{context.refusal}</p>
      ) : (
        <p className="mt-2">
          <Link
            href={`/requests/${encodeURIComponent(token)}/move`}
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100"
            data-testid="move-link"
          >
            Move to another time
          </Link>
          <span className="mt-1 block text-sm text-slate-700">
            {context.needsApproval ? 'The practice approves a move; your appointment keeps its time until then.' : 'Your request keeps waiting for the practice’s answer at the new time.'}
          </span>
        </p>
      )}
    </section>
  );
}
