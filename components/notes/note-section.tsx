import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/permissions';
import { formatWhen } from '@/lib/i18n/format';
import { formatList } from '@/lib/i18n/words';
import type { Locale } from '@/lib/i18n/locales';
import { translator, type Translate } from '@/lib/i18n/translator';
import { mayStart, NOTE_FIELDS, noteSummary, readNoteDraft, readNoteHistory, type NoteVersion } from '@/lib/notes';
import { NoteEditor } from './note-editor';

// i18n-keys: appointments.notes.section.*

/**
 * The clinical note of an appointment: the editor and every version for the practice's doctors;
 * for admins only that a note exists. Reading it here is audited by lib/notes.
 */
export async function NoteSection({
  actor,
  profileId,
  reservationId,
  startsAt,
  status,
  timeZone,
  locale = 'en',
}: {
  actor: Actor;
  profileId: string;
  reservationId: string;
  startsAt: Date;
  status: string;
  timeZone: string;
  locale?: Locale;
}) {
  const t = translator(locale, 'appointments.notes');
  const roles = actor.memberships.find((m) => m.profileId === profileId)?.roles;
  if (!roles || !can(roles, 'notes.read')) {
    const summary = await noteSummary(actor, profileId, { reservationId });
    return (
      <section aria-labelledby="note-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="note-heading" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <p className="mt-2 text-slate-700">
          {summary.versions === 0 ? t('none') : t('exists', { versions: summary.versions, when: formatWhen(locale, summary.lastWrittenAt!, timeZone) })}
        </p>
      </section>
    );
  }
  const history = await readNoteHistory(actor, profileId, { reservationId });
  const latest = history[0];
  const started = mayStart({ startsAt, timeZone }, new Date());
  const draft = started && status !== 'cancelled' ? await readNoteDraft(actor, profileId, { reservationId }) : null;
  return (
    <section aria-labelledby="note-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="note-heading" className="text-lg font-semibold">
        {t('titleSoap')}
      </h2>
      {status === 'cancelled' ? (
        <p className="text-slate-700">{t('cancelled')}</p>
      ) : !started ? (
        <p className="text-slate-700">{t('notYet', { when: formatWhen(locale, startsAt, timeZone) })}</p>
      ) : (
        <NoteEditor
          profileId={profileId}
          reservationId={reservationId}
          baseVersion={latest?.version ?? 0}
          initial={{ subjective: latest?.subjective ?? '', objective: latest?.objective ?? '', assessment: latest?.assessment ?? '', plan: latest?.plan ?? '' }}
          draft={
            draft
              ? {
                  content: { subjective: draft.subjective, objective: draft.objective, assessment: draft.assessment, plan: draft.plan },
                  baseVersion: draft.baseVersion,
                  updatedAt: draft.updatedAt.toISOString(),
                }
              : null
          }
          timeZone={timeZone}
        />
      )}
      {history.length > 0 && <NoteHistory history={history} timeZone={timeZone} t={t} locale={locale} />}
    </section>
  );
}

function NoteHistory({ history, timeZone, t, locale }: { history: NoteVersion[]; timeZone: string; t: Translate; locale: Locale }) {
  return (
    <div>
      <h3 className="font-semibold">{t('history')}</h3>
      <ol className="mt-2 space-y-2" aria-label={t('versionsLabel')}>
        {history.map((v, i) => {
          const previous = history[i + 1];
          return (
            <li key={v.id} className="rounded border border-slate-200" data-testid="note-version">
              <details open={i === 0}>
                <summary className="cursor-pointer px-3 py-2">
                  {t('version', { version: v.version, author: v.authorName ?? t('unknownAuthor'), when: formatWhen(locale, v.createdAt, timeZone, { year: true }) })}
                  {' · '}
                  <span className="text-sm text-slate-600">
                    {!previous ? t('firstVersion') : v.changed.length ? t('changed', { fields: formatList(locale, v.changed.map((f) => t(`section.${f}`))) }) : t('changedNothing')}
                  </span>
                </summary>
                <dl className="grid gap-2 px-3 pb-3 sm:grid-cols-2">
                  {NOTE_FIELDS.map((f) => (
                    <div key={f} className={previous && v.changed.includes(f) ? 'rounded bg-amber-50 p-2' : 'p-2'}>
                      <dt className="text-sm font-medium">{t(`section.${f}`)}</dt>
                      <dd className="whitespace-pre-wrap text-sm">{v[f] || <span className="text-slate-500">{t('empty')}</span>}</dd>
                      {previous && v.changed.includes(f) && (
                        <dd className="mt-1 whitespace-pre-wrap text-xs text-slate-600">
                          <span className="font-medium">{t('before')}</span> {previous[f] || t('empty')}
                        </dd>
                      )}
                    </div>
                  ))}
                </dl>
              </details>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
