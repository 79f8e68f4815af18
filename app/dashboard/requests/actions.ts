'use server';

import { actionLocale, actionTranslator, practiceAction } from '@/lib/actions';
import type { Actor } from '@/lib/auth/actor';
import {
  approveRequest,
  approveRequests,
  rejectRequest,
  UNDO_SECONDS,
  undoDecision,
  type ApproveInput,
  type BulkApproveInput,
  type DecidedRequest,
  type RejectInput,
} from '@/lib/approval';
import { localizeError } from '@/lib/i18n/errors';
import { formatDateTime, formatWhen, zoneName } from '@/lib/i18n/format';
import { formatList } from '@/lib/i18n/words';
import { proposeTimes } from '@/lib/proposals';

/** "Ana Ruiz, Consultation, Tuesday 1 December, 13:00 (Madrid time)" in the page's language. */
async function what(r: DecidedRequest): Promise<string> {
  const t = await actionTranslator('requests.done');
  return t('what', { name: r.patientName, service: r.serviceName, when: formatWhen(await actionLocale(), r.startsAt, r.timeZone) });
}
/** The dashboard's decisions can be undone for a few seconds: their messages wait that long. */
const withUndo = { undoSeconds: UNDO_SECONDS };

/** Approve in one click; lib/approval decides by compare-and-set and says why it refuses. */
export const approveRequestAction = practiceAction(
  (actor: Actor | null, profileId: string, input: ApproveInput) => approveRequest(actor, profileId, input, withUndo),
  { name: 'requests.approve', revalidate: '/dashboard' },
  async (r) => {
    const t = await actionTranslator('requests.done');
    return r.changed
      ? {
          ok: true,
          message: t('approved', { what: await what(r), seconds: UNDO_SECONDS }),
          values: { undoRequestId: r.requestId, undoUntil: r.undoUntil?.toISOString() ?? '' },
        }
      : t('alreadyApproved', { what: await what(r) });
  },
);

/** Reject with a reason the patient will read; the time is free again. */
export const rejectRequestAction = practiceAction(
  (actor: Actor | null, profileId: string, input: RejectInput) => rejectRequest(actor, profileId, input, withUndo),
  { name: 'requests.reject', revalidate: '/dashboard' },
  async (r) => ({
    ok: true,
    message: (await actionTranslator('requests.done'))('rejected', { name: r.patientName, when: formatWhen(await actionLocale(), r.startsAt, r.timeZone), seconds: UNDO_SECONDS }),
    values: { undoRequestId: r.requestId, undoUntil: r.undoUntil?.toISOString() ?? '' },
  }),
);

/** Takes back an approval or a rejection within its undo window: pending again, nothing sent. */
export const undoDecisionAction = practiceAction(undoDecision, { name: 'requests.undo', revalidate: '/dashboard' }, async (r) => {
  const t = await actionTranslator('requests.done');
  return r.status === 'pending' ? t('undone', { what: await what(r) }) : t('undoneExpired');
});

/** Approves every selected request (each on its own); says which could not be. */
export const approveSelectedAction = practiceAction(
  (actor: Actor | null, profileId: string, input: BulkApproveInput) => approveRequests(actor, profileId, input, withUndo),
  { name: 'requests.approve_selected', revalidate: '/dashboard' },
  async (r) => {
    const [t, locale] = await Promise.all([actionTranslator('requests.done'), actionLocale()]);
    const ok = r.approved.length;
    const refused = r.refused.map((x) => localizeError(x.message, locale, 'request_not_pending'));
    const message = `${t('approvedCount', { count: ok })}${refused.length ? t('notApproved', { count: refused.length, reasons: [...new Set(refused)].join(' ') }) : ''}`;
    return refused.length && !ok ? { error: message } : { ok: true, message };
  },
);

/** Offers one to three other free times instead of the one requested; the patient answers on the status page. */
export const proposeTimesAction = practiceAction(proposeTimes, { name: 'requests.propose', revalidate: '/dashboard' }, async (r) => {
  const locale = await actionLocale();
  const times = `${formatList(locale, r.times.map((x) => formatDateTime(locale, x.startsAt, r.timeZone)))} (${zoneName(locale, r.timeZone)})`;
  return (await actionTranslator('requests.done'))('offered', { name: r.patientName, times, until: formatWhen(locale, r.expiresAt, r.timeZone) });
});
