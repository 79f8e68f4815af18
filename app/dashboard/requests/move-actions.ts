'use server';

import { actionLocale, actionTranslator, practiceAction } from '@/lib/actions';
import { approveMove, rejectMove, type MoveDecision } from '@/lib/booking/move-decide';
import { formatWhen } from '@/lib/i18n/format';

/** The decision's words in the page's language, times as "Tuesday 1 December, 13:00 (Madrid time)". */
async function said(key: 'approved' | 'kept', r: MoveDecision): Promise<string> {
  const [t, locale] = await Promise.all([actionTranslator('requests.movesDone'), actionLocale()]);
  const at = (d: Date) => formatWhen(locale, d, r.timeZone);
  return key === 'approved'
    ? t('approved', { name: r.patientName, service: r.serviceName, to: at(r.toStartsAt), from: at(r.fromStartsAt) })
    : t('kept', { name: r.patientName, service: r.serviceName, at: at(r.fromStartsAt) });
}

/** Approve a patient's move of their appointment: it is at the new time, the old time is free. */
export const approveMoveAction = practiceAction(approveMove, { name: 'requests.approve_move', revalidate: '/dashboard' }, (r) => said('approved', r));

/** Keep the original time: the time the patient asked for is free again. */
export const rejectMoveAction = practiceAction(rejectMove, { name: 'requests.reject_move', revalidate: '/dashboard' }, (r) => said('kept', r));
