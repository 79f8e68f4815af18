export type BookingStep = 'service' | 'day' | 'time' | 'details' | 'code';

const STEPS: { id: BookingStep; label: string }[] = [
  { id: 'service', label: 'Service' },
  { id: 'day', label: 'Day' },
  { id: 'time', label: 'Time' },
  { id: 'details', label: 'Your details' },
  { id: 'code', label: 'Code' },
];

/** Where the patient is in the five steps. */
export function BookingSteps({ current }: { current: BookingStep }) {
  const index = STEPS.findIndex((s) => s.id === current);
  return (
    <ol aria-label="Booking steps" className="mt-6 grid grid-cols-5 gap-1 text-center text-xs sm:text-sm">
      {STEPS.map((step, i) => {
        const state = i < index ? 'done' : i === index ? 'current' : 'todo';
        return (
          <li
            key={step.id}
            aria-current={state === 'current' ? 'step' : undefined}
            className={`border-t-4 pt-1.5 ${state === 'todo' ? 'border-slate-300 text-slate-700' : 'border-brand-700 text-brand-800'} ${state === 'current' ? 'font-bold' : ''}`}
          >
            <span className="sr-only">{`Step ${i + 1} of ${STEPS.length}: `}</span>
            {step.label}
            {state === 'done' && <span className="sr-only"> (done)</span>}
          </li>
        );
      })}
    </ol>
  );
}
