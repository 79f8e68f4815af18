import type { Actor } from '@/lib/auth/actor';
import { can } from '@/lib/auth/permissions';
import { formatDateTime } from '@/lib/format';
import { mayStart, NOTE_FIELDS, noteSummary, readNoteDraft, readNoteHistory, type NoteVersion } from '@/lib/notes';
import { NoteEditor } from './note-editor';

const LABELS = { subjective: 'Subjective', objective: 'Objective', assessment: 'Assessment', plan: 'Plan' } as const;

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
}: {
  actor: Actor;
  profileId: string;
  reservationId: string;
  startsAt: Date;
  status: string;
  timeZone: string;
}) {
  const roles = actor.memberships.find((m) => m.profileId === profileId)?.roles;
  if (!roles || !can(roles, 'notes.read')) {
    const summary = await noteSummary(actor, profileId, { reservationId });
    return (
      <section aria-labelledby="note-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="note-heading" className="text-lg font-semibold">
          Clinical note
        </h2>
        <p className="mt-2 text-slate-700">
          {summary.versions === 0
            ? 'No clinical note yet.'
            : `A clinical note exists (${summary.versions} version${summary.versions === 1 ? '' : 's'}, last written ${formatDateTime(summary.lastWrittenAt!, timeZone)} ${timeZone}). Only the practice’s doctors can read it.`}
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
        Clinical note (SOAP)
      </h2>
      {status === 'cancelled' ? (
        <p className="text-slate-700">This appointment was cancelled.</p>
      ) : !started ? (
        <p className="text-slate-700">The note can be started on the day of the appointment, {formatDateTime(startsAt, timeZone)} ({timeZone}).</p>
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
      {history.length > 0 && <NoteHistory history={history} timeZone={timeZone} />}
    </section>
  );
}

function NoteHistory({ history, timeZone }: { history: NoteVersion[]; timeZone: string }) {
  return (
    <div>
      <h3 className="font-semibold">History</h3>
      <ol className="mt-2 space-y-2" aria-label="Note versions, newest first">
        {history.map((v, i) => {
          const previous = history[i + 1];
          return (
            <li key={v.id} className="rounded border border-slate-200" data-testid="note-version">
              <details open={i === 0}>
                <summary className="cursor-pointer px-3 py-2">
                  Version {v.version} · {v.authorName ?? 'unknown'} · {formatDateTime(v.createdAt, timeZone, { year: 'numeric' })} ({timeZone})
                  {' · '}
                  <span className="text-sm text-slate-600">{previous ? `changed: ${v.changed.map((f) => LABELS[f]).join(', ') || 'nothing'}` : 'first version'}</span>
                </summary>
                <dl className="grid gap-2 px-3 pb-3 sm:grid-cols-2">
                  {NOTE_FIELDS.map((f) => (
                    <div key={f} className={previous && v.changed.includes(f) ? 'rounded bg-amber-50 p-2' : 'p-2'}>
                      <dt className="text-sm font-medium">{LABELS[f]}</dt>
                      <dd className="whitespace-pre-wrap text-sm">{v[f] || <span className="text-slate-500">(empty)</span>}</dd>
                      {previous && v.changed.includes(f) && (
                        <dd className="mt-1 whitespace-pre-wrap text-xs text-slate-600">
                          <span className="font-medium">Before:</span> {previous[f] || '(empty)'}
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
