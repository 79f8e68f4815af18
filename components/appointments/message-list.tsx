import type { NotificationView } from '@/lib/notifications';
import { formatDateTime, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { hasMessage, translator } from '@/lib/i18n/translator';

// i18n-keys: appointments.messages.kind.* appointments.messages.state.*

const STATUS_STYLE: Record<NotificationView['status'], string> = {
  sent: 'bg-green-100 text-green-900',
  pending: 'bg-amber-100 text-amber-900',
  sending: 'bg-blue-100 text-blue-900',
  failed: 'bg-red-100 text-red-900',
  skipped: 'bg-slate-200 text-slate-800',
};

/** Every message about this appointment and its request, with its delivery status. */
export function MessageList({ messages, timeZone, locale = 'en' }: { messages: NotificationView[]; timeZone: string; locale?: Locale }) {
  const t = translator(locale, 'appointments.messages');
  // A kind added later without its words shows its code rather than failing.
  const kind = (k: string) => (hasMessage(locale, `appointments.messages.kind.${k}`) ? t(`kind.${k}`) : k);
  return (
    <section aria-labelledby="messages-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="messages-heading" className="text-lg font-semibold">
        {t('title')}
      </h2>
      {messages.length === 0 ? (
        <p className="mt-2 text-slate-700">{t('empty')}</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100">
          {messages.map((m) => (
            <li key={m.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-testid="message">
              <span className="font-medium">{kind(m.kind)}</span>
              <span className="text-slate-600">{t('to', { channel: m.channel, recipient: m.recipient })}</span>
              <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[m.status]}`}>
                {m.status === 'sent' && m.loggedOnly ? t('state.logged') : t(`state.${m.status}`)}
              </span>
              <span className="text-slate-600">
                {m.sentAt
                  ? t('sentAt', { when: formatDateTime(locale, m.sentAt, timeZone) })
                  : m.status === 'pending'
                    ? t('dueAt', { when: formatDateTime(locale, m.dueAt, timeZone) })
                    : ''}
                {m.attempts > 1 ? t('tries', { count: m.attempts }) : ''}
              </span>
              {m.error && <span className="basis-full text-xs text-red-800">{m.error}</span>}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs text-slate-600" title={timeZone}>
        {t('timesIn', { zone: zoneName(locale, timeZone) })}
      </p>
    </section>
  );
}
