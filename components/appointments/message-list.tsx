import type { NotificationView } from '@/lib/notifications';
import { formatDateTime } from '@/lib/format';

const KIND: Record<string, string> = {
  received: 'Request received',
  approved: 'Appointment confirmed',
  rejected: 'Request declined',
  expired: 'Request expired',
  cancelled: 'Appointment cancelled',
  reminder: 'Reminder',
  new_request: 'New request (to the practice)',
  expiry_warning: 'About to expire (to the practice)',
  cancelled_by_patient: 'Cancelled by the patient (to the practice)',
  proposed: 'Other times offered',
};

const STATUS_STYLE: Record<NotificationView['status'], string> = {
  sent: 'bg-green-100 text-green-900',
  pending: 'bg-amber-100 text-amber-900',
  sending: 'bg-blue-100 text-blue-900',
  failed: 'bg-red-100 text-red-900',
  skipped: 'bg-slate-200 text-slate-800',
};

/** Every message about this appointment and its request, with its delivery status. */
export function MessageList({ messages, timeZone }: { messages: NotificationView[]; timeZone: string }) {
  return (
    <section aria-labelledby="messages-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="messages-heading" className="text-lg font-semibold">
        Messages
      </h2>
      {messages.length === 0 ? (
        <p className="mt-2 text-slate-700">No messages for this appointment.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100">
          {messages.map((m) => (
            <li key={m.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-testid="message">
              <span className="font-medium">{KIND[m.kind] ?? m.kind}</span>
              <span className="text-slate-600">
                {m.channel === 'email' ? 'E-mail' : 'WhatsApp'} to {m.recipient}
              </span>
              <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[m.status]}`}>
                {m.status === 'sent' && m.loggedOnly ? 'logged (channel not configured)' : m.status}
              </span>
              <span className="text-slate-600">
                {m.sentAt
                  ? `sent ${formatDateTime(m.sentAt, timeZone)}`
                  : m.status === 'pending'
                    ? `due ${formatDateTime(m.dueAt, timeZone)}`
                    : ''}
                {m.attempts > 1 ? ` · ${m.attempts} tries` : ''}
              </span>
              {m.error && <span className="basis-full text-xs text-red-800">{m.error}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs text-slate-600">Times in {timeZone}.</p>
    </section>
  );
}
