import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { moveContext } from '@/lib/booking/move';
import { localizeError } from '@/lib/i18n/errors';
import { formatDateTime, formatTime, zoneName } from '@/lib/i18n/format';
import { pageLocale } from '@/lib/i18n/page-locale';
import { WithdrawMove } from './move-forms';

/**
 * Issue 15, on the request's status page: "Move to another time" while the request may move; a move
 * waiting for the practice (with "Keep my current time"); and, just after a move, what happened.
 */
export async function MoveStatus({ token, justMoved }: { token: string; justMoved: boolean }) {
  const [context, t, locale] = await Promise.all([moveContext(token), getTranslations('status.move'), pageLocale()]);
  const tz = context.profile.timeZone;
  const live = context.status === 'pending' || context.status === 'approved';
  if (!live) return null;
  const move = context.pendingMove;
  return (
    <section aria-labelledby="move-heading" className="mt-8" data-testid="move-status">
      <h2 id="move-heading" className="text-xl font-semibold">
        {t('heading')}
      </h2>
      {justMoved && (
        <p role="status" className="mt-2 rounded-md border border-green-600 bg-green-50 p-3 text-green-950">
          {move ? t('askedDone') : t('movedDone')}
        </p>
      )}
      {move ? (
        <div className="mt-2 rounded-lg border border-amber-400 bg-amber-50 p-4">
          <p>
            {t.rich('asked', {
              time: `${formatDateTime(locale, move.toStartsAt, tz, { weekday: 'long', day: 'numeric', month: 'long' })}–${formatTime(locale, move.toEndsAt, tz)} (${zoneName(locale, tz)})`,
              deadline: formatDateTime(locale, move.deadline, tz),
              strong: (chunks) => <strong>{chunks}</strong>,
            })}
          </p>
          <WithdrawMove token={token} />
        </div>
      ) : context.refusal ? (
        <p className="mt-2 text-slate-700">{localizeError(context.refusal, locale, context.refusalCode ?? undefined)}</p>
      ) : (
        <p className="mt-2">
          <Link
            href={`/requests/${encodeURIComponent(token)}/move`}
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100"
            data-testid="move-link"
          >
            {t('link')}
          </Link>
          <span className="mt-1 block text-sm text-slate-700">
            {context.needsApproval ? t('needsApproval') : t('keepsWaiting')}
          </span>
        </p>
      )}
    </section>
  );
}
