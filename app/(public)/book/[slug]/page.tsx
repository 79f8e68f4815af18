import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { BookingSteps, type BookingStep } from '@/components/booking/booking-steps';
import { bookingHref } from '@/components/booking/hrefs';
import { MonthCalendar } from '@/components/booking/month-calendar';
import { PracticeCard } from '@/components/booking/practice-card';
import { PublicShell } from '@/components/booking/public-shell';
import { formWords } from '@/components/booking/form-words';
import { RequestForm } from '@/components/booking/request-form';
import { ServiceList } from '@/components/booking/service-list';
import { TimeList } from '@/components/booking/time-list';
import { TimesIn } from '@/components/booking/zone-name';
import { movedNow } from '@/lib/clock';
import { phoneExample } from '@/lib/phone';
import { formatLocalDate, formatPrice, formatSpan, formatTime, zoneName } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { pageLocale } from '@/lib/i18n/page-locale';
import { codeChannel, loadBooking, typedBefore, type BookingView } from './booking';

// Free times change with every request: always read them fresh.
export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;
interface PageProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<SearchParams>;
}

// i18n-keys: booking.page.titleService, booking.page.titleDay, booking.page.titleTime, booking.page.titleDetails, booking.page.titleCode
const STEP_TITLES = {
  service: 'titleService',
  day: 'titleDay',
  time: 'titleTime',
  details: 'titleDetails',
  code: 'titleCode',
} as const satisfies Record<BookingStep, string>;

export async function generateMetadata({ params, searchParams }: PageProps): Promise<Metadata> {
  const [view, t] = await Promise.all([load(params, searchParams), getTranslations('booking.page')]);
  if (!view) return { title: t('notFound'), robots: { index: false } };
  if (!view.profile.services.length) return { title: t('noServicesTitle', { practice: view.profile.name }), robots: { index: false } };
  return {
    title: t('metaTitle', { step: t(STEP_TITLES[view.step]), practice: view.profile.name }),
    description: t('metaDescription', { practice: view.profile.name, specialty: view.profile.specialty }),
  };
}

/** "Wednesday 4 March" / "miércoles, 4 de marzo" (a local date of the practice). */
function dayName(locale: Locale, date: string): string {
  return formatLocalDate(locale, date);
}

/** "Las horas se muestran en hora de Madrid." */
async function timesText(locale: Locale, timeZone: string): Promise<string> {
  return (await getTranslations('booking.zone'))('allTimes', { zone: zoneName(locale, timeZone) });
}

export default async function BookPage({ params, searchParams }: PageProps) {
  const [view, t, locale] = await Promise.all([load(params, searchParams), getTranslations('booking.page'), pageLocale()]);
  if (!view) notFound();
  const { profile } = view;
  const from = first((await searchParams).from)?.slice(0, 64);
  if (!profile.services.length) return <NoServices name={profile.name} />;

  return (
    <PublicShell>
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{profile.specialty}</p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">{t('heading', { practice: profile.name })}</h1>
      <p className="mt-2 text-slate-700">{t('intro')}</p>
      <BookingSteps current={view.step} />
      {view.notice && (
        <p role="status" className="mt-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {view.notice}
        </p>
      )}
      {view.service ? <ChosenService view={view} locale={locale} /> : <ChooseService view={view} />}
      {view.step === 'details' ? <Details view={view} from={from} locale={locale} /> : view.service && <ChooseDay view={view} locale={locale} />}
      <PracticeCard practice={profile} />
      {/* Issue 15: a patient who lost their status link gets one to all their requests here. */}
      <p className="mt-6 text-slate-700">
        {t('alreadyAsked')}{' '}
        <Link href={`/book/${encodeURIComponent(profile.slug)}/lost-link`} className="font-semibold text-brand-700 underline underline-offset-2" data-testid="lost-link">
          {t('lostLink')}
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

async function ChooseService({ view }: { view: BookingView }) {
  const t = await getTranslations('booking.page');
  return (
    <section id="service" aria-labelledby="service-heading" className="mt-8 scroll-mt-4">
      <h2 id="service-heading" className="text-xl font-semibold">
        {t('chooseService')}
      </h2>
      <div className="mt-4">
        <ServiceList slug={view.profile.slug} services={view.profile.services} firstFree={view.firstFree} timeZone={view.profile.timeZone} />
      </div>
    </section>
  );
}

async function ChosenService({ view, locale }: { view: BookingView; locale: Locale }) {
  const service = view.service!;
  const t = await getTranslations('booking.page');
  return (
    <section aria-labelledby="service-heading" className="mt-8">
      <h2 id="service-heading" className="text-xl font-semibold">
        {t('service')}
      </h2>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-300 bg-white p-4">
        <div>
          <p className="font-semibold">{service.name}</p>
          <p className="text-sm text-slate-700">
            {t('minutes', { count: service.durationMinutes })} · {formatPrice(locale, service.price.amount, service.price.currency)}
          </p>
        </div>
        <Link href={bookingHref(view.profile.slug, {}, 'service')} className="rounded-md px-2 py-2 font-semibold text-brand-700 underline underline-offset-2">
          {t('change')}
          <span className="sr-only">{t('changeService')}</span>
        </Link>
      </div>
    </section>
  );
}

async function ChooseDay({ view, locale }: { view: BookingView; locale: Locale }) {
  const { profile, service } = view;
  const t = await getTranslations('booking.page');
  return (
    <>
      <section id="day" aria-labelledby="day-heading" className="mt-8 scroll-mt-4">
        <h2 id="day-heading" className="text-xl font-semibold">
          {t('chooseDay')}
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
            {t('chooseTimeOn', { day: dayName(locale, view.day) })}
          </h2>
          <TimesIn timeZone={profile.timeZone} text={await timesText(locale, profile.timeZone)} className="mt-1 text-sm text-slate-700" />
          <div className="mt-3">
            <TimeList slug={profile.slug} serviceId={service!.id} day={view.day} starts={view.dayStarts!} timeZone={profile.timeZone} />
          </div>
        </section>
      )}
    </>
  );
}

async function Details({ view, from, locale }: { view: BookingView; from?: string; locale: Locale }) {
  const { profile, service, start, day } = view;
  const tz = profile.timeZone;
  const [t, tForm, times] = await Promise.all([getTranslations('booking.page'), getTranslations('booking.form'), timesText(locale, tz)]);
  // Back from the code step ("use another e-mail", or a code that expired): what was typed.
  const [typed, channel] = await Promise.all([typedBefore(from, profile.slug, service!.id), codeChannel(profile.slug)]);
  return (
    <>
      <section aria-labelledby="time-heading" className="mt-6">
        <h2 id="time-heading" className="text-xl font-semibold">
          {t('time')}
        </h2>
        <div className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-lg border border-slate-300 bg-white p-4">
          <p>
            <span className="block font-semibold">{formatLocalDate(locale, day!, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}</span>
            <span className="block tabular-nums">
              {formatTime(locale, start!.startsAt, tz)}–{formatTime(locale, start!.endsAt, tz)}
            </span>
            <TimesIn timeZone={tz} text={times} className="block text-sm text-slate-700" />
            {view.taken && <span className="mt-1 block font-semibold text-red-800">{t('noLongerFree')}</span>}
          </p>
          <Link
            href={bookingHref(profile.slug, { service: service!.id, day }, 'times')}
            className="rounded-md px-2 py-2 font-semibold text-brand-700 underline underline-offset-2"
          >
            {t('change')}
            <span className="sr-only">{t('changeTime')}</span>
          </Link>
        </div>
      </section>
      <section id="details" aria-labelledby="details-heading" className="mt-8 scroll-mt-4">
        <h2 id="details-heading" className="text-xl font-semibold">
          {t('details')}
        </h2>
        {typed && <p className="mt-2 text-slate-700">{t('typedKept')}</p>}
        <div className="mt-4">
          <RequestForm
            key={start!.startsAt.toISOString()}
            initial={typed}
            codeBy={channel}
            slug={profile.slug}
            serviceId={service!.id}
            startsAt={start!.startsAt.toISOString()}
            timeZone={tz}
            whatsappOptOut={channel === 'whatsapp'}
            today={view.today}
            words={formWords(tForm, {
              practice: profile.name,
              within: formatSpan(locale, profile.approvalWindowMinutes),
              by: channel,
              example: phoneExample(profile.country),
              times,
            })}
          />
        </div>
      </section>
    </>
  );
}

async function NoServices({ name }: { name: string }) {
  const t = await getTranslations('booking.page');
  return (
    <PublicShell>
      <h1 className="text-3xl font-bold tracking-tight">{t('noServicesHeading')}</h1>
      <p className="mt-4 text-lg text-slate-700">{t('noServicesText', { practice: name })}</p>
      <p className="mt-8">
        <Link href="/" className="font-semibold text-brand-700 underline underline-offset-2">
          {t('backHome')}
        </Link>
      </p>
    </PublicShell>
  );
}
