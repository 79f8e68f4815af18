import type { Metadata } from 'next';
import { BlockForm } from '@/components/availability/block-form';
import { ExceptionForm } from '@/components/availability/exception-form';
import { ActionButton } from '@/components/availability/form-kit';
import { RuleForm } from '@/components/availability/rule-form';
import { listBlocks } from '@/lib/availability/blocks';
import { listExceptions } from '@/lib/availability/exceptions';
import { listRules, type Rule } from '@/lib/availability/rules';
import { localDateOf, todayIn, WEEKDAY_NAMES } from '@/lib/availability/time';
import { currentPractice, requireActor } from '@/lib/auth/session';
import { listServices } from '@/lib/catalog';
import { formatDateTime, formatTime } from '@/lib/format';
import { deactivateRuleAction, deleteExceptionAction, unblockTimeAction } from './actions';

export const metadata: Metadata = { title: 'Availability' };

export default async function AvailabilityPage() {
  const actor = await requireActor();
  const practice = await currentPractice(actor);
  if (!practice) return null;
  const { profileId, timeZone: tz } = practice;
  const [rules, exceptions, blocks, services] = await Promise.all([
    listRules(actor, profileId),
    listExceptions(actor, profileId),
    listBlocks(actor, profileId),
    listServices(actor, profileId, { includeInactive: true }),
  ]);
  const serviceName = new Map(services.map((s) => [s.id, s.name]));
  const choices = services.map((s) => ({ id: s.id, name: s.name, isActive: s.isActive }));
  const today = todayIn(tz);
  const byWeekday = WEEKDAY_NAMES.map((name, i) => ({ name, rules: rules.filter((r) => r.weekday === i + 1) }));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Availability</h1>
        <p className="text-slate-700">
          When patients can ask for an appointment at {practice.displayName}. All times are in {tz}. Changes apply to free times only:
          requested, booked and blocked times stay as they are.
        </p>
      </div>

      <section aria-labelledby="weekly-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="weekly-heading" className="font-semibold">
          Weekly hours <span className="font-normal text-slate-600">({tz})</span>
        </h2>
        <ul className="mt-2 divide-y divide-slate-100">
          {byWeekday.map((day) => (
            <li key={day.name} className="grid gap-2 py-3 sm:grid-cols-[9rem_1fr]">
              <h3 className="font-medium">{day.name}</h3>
              {day.rules.length === 0 ? (
                <p className="text-slate-600">Closed</p>
              ) : (
                <ul className="space-y-3">
                  {day.rules.map((rule) => (
                    <li key={rule.id} data-testid="rule-row">
                      <div className="flex flex-wrap items-start justify-between gap-2">
                        <div>
                          <p>
                            <span className="font-medium tabular-nums">
                              {rule.startTime}–{rule.endTime}
                            </span>
                            {ruleNote(rule, serviceName) && <span className="ml-2 text-sm text-slate-600">{ruleNote(rule, serviceName)}</span>}
                          </p>
                        </div>
                        <ActionButton
                          action={deactivateRuleAction}
                          fields={{ profileId, ruleId: rule.id }}
                          label="Remove"
                          pendingLabel="Removing…"
                          confirm={`Remove ${day.name} ${rule.startTime}–${rule.endTime}? Free times in it go away; requested and booked ones stay.`}
                        />
                      </div>
                      <details className="mt-1">
                        <summary className="cursor-pointer text-sm font-medium text-brand-700 hover:underline">
                          Edit {day.name} {rule.startTime}–{rule.endTime}
                        </summary>
                        <div className="mt-3 max-w-2xl">
                          <RuleForm profileId={profileId} timeZone={tz} services={choices} rule={rule} />
                        </div>
                      </details>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
        <details className="mt-4 rounded-md border border-slate-200 p-3" open={rules.length === 0}>
          <summary className="cursor-pointer font-medium text-brand-700">Add hours</summary>
          <div className="mt-3 max-w-2xl">
            <RuleForm profileId={profileId} timeZone={tz} services={choices} />
          </div>
        </details>
      </section>

      <section aria-labelledby="exceptions-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="exceptions-heading" className="font-semibold">
          Exceptions <span className="font-normal text-slate-600">(closed dates and other hours)</span>
        </h2>
        {exceptions.length === 0 ? (
          <p className="mt-2 text-slate-700">No upcoming exceptions.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {exceptions.map((e) => (
              <li key={e.id} className="flex flex-wrap items-start justify-between gap-2 py-2" data-testid="exception-row">
                <p>
                  <span className="font-medium">{formatLocalDate(e.date)}</span>
                  {' · '}
                  {e.closed ? 'Closed all day' : `Open ${e.startTime}–${e.endTime} (${tz})`}
                  {e.reason && <span className="text-slate-600"> · {e.reason}</span>}
                </p>
                <ActionButton
                  action={deleteExceptionAction}
                  fields={{ profileId, exceptionId: e.id }}
                  label="Delete"
                  pendingLabel="Deleting…"
                  confirm={`Delete the exception on ${e.date}? The weekly hours apply again that day.`}
                />
              </li>
            ))}
          </ul>
        )}
        <details className="mt-4 rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer font-medium text-brand-700">Add an exception</summary>
          <div className="mt-3 max-w-2xl">
            <ExceptionForm profileId={profileId} timeZone={tz} today={today} />
          </div>
        </details>
      </section>

      <section aria-labelledby="blocks-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="blocks-heading" className="font-semibold">
          Blocked time
        </h2>
        <p className="text-sm text-slate-700">
          Blocking takes free times off the booking page. Times a patient has requested or booked are not blocked: answer or cancel them first.
        </p>
        {blocks.length === 0 ? (
          <p className="mt-2 text-slate-700">Nothing is blocked.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {blocks.map((b) => (
              <li key={b.startsAt.toISOString()} className="flex flex-wrap items-start justify-between gap-2 py-2" data-testid="block-row">
                <p>
                  <span className="font-medium">{formatRange(b.startsAt, b.endsAt, tz)}</span> ({tz})
                  {b.reason && <span className="text-slate-600"> · {b.reason}</span>}
                </p>
                <ActionButton
                  action={unblockTimeAction}
                  fields={{ profileId, from: b.startsAt.toISOString(), to: b.endsAt.toISOString() }}
                  label="Unblock"
                  pendingLabel="Unblocking…"
                />
              </li>
            ))}
          </ul>
        )}
        <details className="mt-4 rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer font-medium text-brand-700">Block time</summary>
          <div className="mt-3 max-w-2xl">
            <BlockForm profileId={profileId} timeZone={tz} />
          </div>
        </details>
      </section>
    </div>
  );
}

function ruleNote(rule: Rule, serviceName: Map<string, string>): string {
  const parts: string[] = [];
  if (rule.serviceIds) parts.push(`only ${rule.serviceIds.map((id) => serviceName.get(id) ?? 'a removed service').join(', ')}`);
  if (rule.validFrom && rule.validUntil) parts.push(`${rule.validFrom} to ${rule.validUntil}`);
  else if (rule.validFrom) parts.push(`from ${rule.validFrom}`);
  else if (rule.validUntil) parts.push(`until ${rule.validUntil}`);
  return parts.join(' · ');
}

function formatLocalDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

function formatRange(from: Date, to: Date, tz: string): string {
  const sameDay = localDateOf(from, tz) === localDateOf(new Date(to.getTime() - 1), tz);
  return `${formatDateTime(from, tz)} – ${sameDay ? formatTime(to, tz) : formatDateTime(to, tz)}`;
}
