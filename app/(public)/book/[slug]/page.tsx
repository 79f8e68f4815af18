import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BookingSteps, type BookingStep } from '@/components/booking/booking-steps';
import { formatDay, formatLongDay } from '@/components/booking/calendar';
import { bookingHref } from '@/components/booking/hrefs';
import { MonthCalendar } from '@/components/booking/month-calendar';
import { PracticeCard } from '@/components/booking/practice-card';
import { PublicShell } from '@/components/booking/public-shell';
import { RequestForm } from '@/components/booking/request-form';
import { ServiceList } from '@/components/booking/service-list';
import { TimeList } from '@/components/booking/time-list';
import { TimesIn } from '@/components/booking/zone-name';
import { movedNow } from '@/lib/clock';
import { phoneExample } from '@/lib/phone';
import { formatPrice, formatSpan, formatTime } from '@/lib/format';
import { codeChannel, loadBooking, typedBefore, type BookingView } from './booking';

// Free times change with every request: always read them fresh.
export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;
interface PageProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}

const STEP_TITLES: Record<BookingStep, string> = {
  service: 'Choose a service',
  day: 'Choose a day',
  time: 'Choose a time',
  details: 'Your details',
  code: 'Enter your code',
};

export async function generateMetadata({ params, searchParams }: PageProps): Promise<Metadata> {
  const view = await load(params, searchParams);
  if (!view) return { title: 'Practice not found', robots: { index: false } };
  if (!view.profile.services.length) return { title: `${view.profile.name}: no services to book`, robots: { index: false } };
  return {
    title: `${STEP_TITLES[view.step]} · Book with ${view.profile.name}`,
    description: `Request an appointment with ${view.profile.name} (${view.profile.specialty}).`,
  };
}

export default async function BookPage({ params, searchParams }: PageProps) {
  const view = await load(params, searchParams);
  if (!view) notFound();
  const { profile } = view;
  const from = first((await searchParams).from)?.slice(0, 64);
  if (!profile.services.length) return <NoServices name={profile.name} />;

  return (
    <PublicShell>
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{profile.specialty}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">Book with {profile.name}</h1>
      <p className="mt-2 text-slate-700">
        Choose a service, a day and a time, then send your request. The practice confirms it before it becomes an appointment.
      </p>
      <BookingSteps current={view.step} />
      {view.notice && (
        <p role="status" className="mt-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {view.notice}
        </p>
      )}
      {view.service ? <ChosenService view={view} /> : <ChooseService view={view} />}
      {view.step === 'details' ? <Details view={view} from={from} /> : view.service && <ChooseDay view={view} />}
      <PracticeCard practice={profile} />
      {/* Issue 15: a patient who lost their status link gets one to all their requests here. */}
      <p className="mt-6 text-slate-700">
        Already asked for an appointment?{' '}
        <Link href={`/book/${encodeURIComponent(profile.slug)}/lost-link`} className="font-semibold text-brand-700 underline underline-offset-2" data-testid="lost-link">
          Lost your link? See your appointments
        </Link>
      </p>
    </PublicShell>
  );
}

async function load(params: PageProps['params'], searchParams: PageProps['searchParams']): Promise<BookingView | null> {
  const [{ slug }, sp] = await Promise.all([params, searchParams]);
  const q = new URLSearchParams();
  for (const key of ['service', 'month', 'day', 'time']) {
    const value = first(sp[key]);
    if (value) q.set(key, value.slice(0, 64));
  }
  // The real clock, or the browser tests' moved one (lib/clock.ts); the page and its metadata share one load.
  return loadBooking(slug, q.toString(), movedNow(await headers())?.toISOString());
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function ChooseService({ view }: { view: BookingView }) {
  return (
    <section id="service" aria-labelledby="service-heading" className="mt-8 scroll-mt-4">
      <h2 id="service-heading" className="text-xl font-semibold">
        Choose a service
      </h2>
      <div className="mt-4">
        <ServiceList slug={view.profile.slug} services={view.profile.services} firstFree={view.firstFree} timeZone={view.profile.timeZone} />
      </div>
    </section>
  );
}

function ChosenService({ view }: { view: BookingView }) {
  const service = view.service!;
  return (
    <section aria-labelledby="service-heading" className="mt-8">
      <h2 id="service-heading" className="text-xl font-semibold">
        Service
      </h2>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-300 bg-white p-4">
        <div>
          <p className="font-semibold">{service.name}</p>
          <p className="text-sm text-slate-700">
            {service.durationMinutes} minutes · {formatPrice(service.price.amount, service.price.currency)}
          </p>
        </div>
        <Link href={bookingHref(view.profile.slug, {}, 'service')} className="rounded-md px-2 py-2 font-semibold text-brand-700 underline underline-offset-2">
          Change<span className="sr-only"> service</span>
        </Link>
      </div>
    </section>
  );
}

function ChooseDay({ view }: { view: BookingView }) {
  const { profile, service } = view;
  return (
    <>
      <section id="day" aria-labelledby="day-heading" className="mt-8 scroll-mt-4">
        <h2 id="day-heading" className="text-xl font-semibold">
          Choose a day
        </h2>
        <div className="mt-3">
          <MonthCalendar
            slug={profile.slug}
            serviceId={service!.id}
            month={view.month!}
            freeByDate={view.freeByDate!}
            selectedDay={view.day}
            today={view.today}
            previousMonth={view.previousMonth}
            nextMonth={view.nextMonth}
          />
        </div>
      </section>
      {view.day && view.dayStarts!.length > 0 && (
        <section id="times" aria-labelledby="times-heading" className="mt-8 scroll-mt-4">
          <h2 id="times-heading" className="text-xl font-semibold">
            Choose a time on {formatDay(view.day)}
          </h2>
          <TimesIn timeZone={profile.timeZone} className="mt-1 text-sm text-slate-700" />
          <div className="mt-3">
            <TimeList slug={profile.slug} serviceId={service!.id} day={view.day} starts={view.dayStarts!} timeZone={profile.timeZone} />
          </div>
        </section>
      )}
    </>
  );
}

async function Details({ view, from }: { view: BookingView; from?: string }) {
  const { profile, service, start, day } = view;
  const tz = profile.timeZone;
  // Back from the code step ("use another e-mail", or a code that expired): what was typed.
  const [typed, channel] = await Promise.all([typedBefore(from, profile.slug, service!.id), codeChannel(profile.slug)]);
  return (
    <>
      <section aria-labelledby="time-heading" className="mt-6">
        <h2 id="time-heading" className="text-xl font-semibold">
          Time
        </h2>
        <div className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-300 bg-white p-4">
          <p>
            <span className="block font-semibold">{formatLongDay(day!)}</span>
            <span className="block tabular-nums">
              {formatTime(start!.startsAt, tz)}–{formatTime(start!.endsAt, tz)}
            </span>
            <TimesIn timeZone={tz} className="block text-sm text-slate-700" />
            {view.taken && <span className="mt-1 block font-semibold text-red-800">No longer free</span>}
          </p>
          <Link
            href={bookingHref(profile.slug, { service: service!.id, day }, 'times')}
            className="rounded-md px-2 py-2 font-semibold text-brand-700 underline underline-offset-2"
          >
            Change<span className="sr-only"> time</span>
          </Link>
        </div>
      </section>
      <section id="details" aria-labelledby="details-heading" className="mt-8 scroll-mt-4">
        <h2 id="details-heading" className="text-xl font-semibold">
          Your details
        </h2>
        {typed && (
          <p className="mt-2 text-slate-700">Everything you typed is kept. Change what you need and send the request again: a new code is sent.</p>
        )}
        <div className="mt-4">
          <RequestForm
            key={start!.startsAt.toISOString()}
            initial={typed}
            codeBy={channel}
            slug={profile.slug}
            serviceId={service!.id}
            startsAt={start!.startsAt.toISOString()}
            timeZone={tz}
            practiceName={profile.name}
            answerWithin={formatSpan(profile.approvalWindowMinutes)}
            whatsappOptOut={channel === 'whatsapp'}
            phoneExample={phoneExample(profile.country)}
            today={view.today}
          />
        </div>
      </section>
    </>
  );
}

function NoServices({ name }: { name: string }) {
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">No services to book online</h1>
      <p className="mt-4 text-lg text-slate-700">
        {name} is not taking online requests at the moment. Please contact the practice directly, or try again later.
      </p>
      <p className="mt-8">
        <Link href="/" className="font-semibold text-brand-700 underline underline-offset-2">
          Back to the home page
        </Link>
      </p>
    </PublicShell>
  );
}
