import { getTranslations } from 'next-intl/server';

export type BookingStep = 'service' | 'day' | 'time' | 'details' | 'code';

// i18n-keys: booking.steps.service, booking.steps.day, booking.steps.time, booking.steps.details, booking.steps.code
const STEPS: BookingStep[] = ['service', 'day', 'time', 'details', 'code'];

/** Where the patient is in the five steps. */
export async function BookingSteps({ current }: { current: BookingStep }) {
  const t = await getTranslations('booking.steps');
  const index = STEPS.indexOf(current);
  return (
    <ol aria-label={t('label')} className="mt-6 grid grid-cols-5 gap-1 text-center text-xs sm:text-sm">
      {STEPS.map((step, i) => {
        const state = i < index ? 'done' : i === index ? 'current' : 'todo';
        return (
          <li
            key={step}
            aria-current={state === 'current' ? 'step' : undefined}
            className={`border-t-4 pt-1.5 ${state === 'todo' ? 'border-slate-300 text-slate-700' : 'border-brand-700 text-brand-800'} ${state === 'current' ? 'font-bold' : ''}`}
          >
            <span className="sr-only">{t('stepOf', { step: i + 1, total: STEPS.length })}</span>
            {t(step)}
            {state === 'done' && <span className="sr-only">{t('done')}</span>}
          </li>
        );
      })}
    </ol>
  );
}
