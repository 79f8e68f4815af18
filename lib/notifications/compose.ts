import { formatDateTime } from '@/lib/format';
import { formatLongDate, formatTime as formatTimeIn, formatWhen, zoneName } from '@/lib/i18n/format';
import { INTL_LOCALE, isLocale, type Locale } from '@/lib/i18n/locales';
import { translator } from '@/lib/i18n/translator';
import { STATUS_LINK_PLACEHOLDER } from './kinds';

/** What every message about one request may say. Times are shown in the practice's zone, named. */
export interface MessageContext {
  requestId: string;
  reservationId: string | null;
  practice: {
    name: string;
    slug: string;
    timeZone: string;
    address: string | null;
    phone: string | null;
    email: string | null;
  };
  serviceName: string;
  patient: { name: string; phone: string; email: string | null };
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date;
  /** The patient's language: the request's own (the page they asked from), else the practice's default. */
  locale: Locale;
  /** The practice's default language: messages to the practice. */
  practiceLocale: Locale;
}

/** A language from the database (reservation_requests.locale, profiles.default_locale), else the fallback. */
export function localeOr(value: string | null | undefined, fallback: Locale = 'en'): Locale {
  return isLocale(value) ? value : fallback;
}

/**
 * A rendered message: the e-mail's subject and text, the short text a WhatsApp message or the log
 * shows, and the WhatsApp template's body parameters ({{1}}, {{2}}, …) in this order:
 *
 * | kind      | parameters                                              |
 * | --------- | ------------------------------------------------------- |
 * | received  | practice, service, start, answer deadline, status link  |
 * | approved  | practice, service, start, address                       |
 * | rejected  | practice, service, start, reason                        |
 * | expired   | practice, service, start                                |
 * | cancelled | practice, service, start, reason                        |
 * | reminder  | practice, service, start, address                       |
 *
 * Patients' messages leave out the reason for the visit (health data stays in the dashboard).
 */
export interface Rendered {
  subject: string;
  text: string;
  short: string;
  parameters: string[];
}

/**
 * A time as every message names it, in the practice's zone: "Mon 7 Jan 2030, 09:30 (Europe/Madrid)";
 * in Spanish "lunes, 7 de enero de 2030, 09:30 (hora de Madrid)".
 */
export function when(instant: Date, timeZone: string, locale: Locale = 'en'): string {
  if (locale === 'en') return `${formatDateTime(instant, timeZone, { year: 'numeric' })} (${timeZone})`;
  return formatWhen(locale, instant, timeZone, { year: true });
}

/** The date and start time without the zone (the approved message adds the end, then the zone). */
function dateAndTime(locale: Locale, instant: Date, timeZone: string): string {
  if (locale === 'en') return formatDateTime(instant, timeZone, { year: 'numeric' });
  return `${formatLongDate(locale, instant, timeZone, { year: 'numeric' })}, ${formatTimeIn(locale, instant, timeZone)}`;
}

/** The zone as the approved message names it: the IANA id in English (as before), "hora de Madrid" in Spanish. */
function zoneOf(locale: Locale, timeZone: string): string {
  return locale === 'en' ? timeZone : zoneName(locale, timeZone);
}

export function start(ctx: MessageContext): string {
  return when(ctx.startsAt, ctx.practice.timeZone, ctx.locale);
}

export function place(ctx: MessageContext): string {
  return ctx.practice.address ?? ctx.practice.name;
}

/** How to reach the practice, for messages written after the patient's status link was sent. */
export function contact(ctx: MessageContext): string {
  const t = translator(ctx.locale, 'notifications.letter');
  const ways = [ctx.practice.phone && t('callWay', { phone: ctx.practice.phone }), ctx.practice.email && t('writeWay', { email: ctx.practice.email })].filter(
    (w): w is string => Boolean(w),
  );
  if (!ways.length) return t('contactNone');
  return t('contact', { ways: new Intl.ListFormat(INTL_LOCALE[ctx.locale], { type: 'disjunction' }).format(ways) });
}

function signature(ctx: MessageContext): string {
  return [ctx.practice.name, ctx.practice.address, [ctx.practice.phone, ctx.practice.email].filter(Boolean).join(' · ')].filter(Boolean).join('\n');
}

function bookAgain(ctx: MessageContext, appUrl: string | null): string {
  const t = translator(ctx.locale, 'notifications.letter');
  if (appUrl) return t('bookAgainLink', { url: `${appUrl.replace(/\/$/, '')}/book/${ctx.practice.slug}` });
  return ctx.practice.phone ? t('bookAgainCall', { phone: ctx.practice.phone }) : t('bookAgainWelcome');
}

export function letter(ctx: MessageContext, ...paragraphs: (string | null | false)[]): string {
  return [translator(ctx.locale, 'notifications.letter')('hello', { name: ctx.patient.name }), ...paragraphs.filter(Boolean), signature(ctx)].join('\n\n');
}

/** The names every patient message uses: practice, service, start. */
function names(ctx: MessageContext) {
  return { practice: ctx.practice.name, service: ctx.serviceName, start: start(ctx) };
}

export function renderReceived(ctx: MessageContext): Rendered {
  const t = translator(ctx.locale, 'notifications.received');
  const deadline = when(ctx.expiresAt, ctx.practice.timeZone, ctx.locale);
  const v = { ...names(ctx), deadline, link: STATUS_LINK_PLACEHOLDER };
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), t('notYet', v), t('follow', v)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), deadline, STATUS_LINK_PLACEHOLDER],
  };
}

export function renderApproved(ctx: MessageContext): Rendered {
  const t = translator(ctx.locale, 'notifications.approved');
  const tz = ctx.practice.timeZone;
  const v = { ...names(ctx), place: place(ctx) };
  const span = t('span', { start: dateAndTime(ctx.locale, ctx.startsAt, tz), until: formatTimeIn(ctx.locale, ctx.endsAt, tz), zone: zoneOf(ctx.locale, tz) });
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), [ctx.serviceName, span, place(ctx)].join('\n'), t('calendarAttached'), contact(ctx)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), place(ctx)],
  };
}

/** The .ics of an appointment: its title and description in the patient's language. */
export function icsTexts(ctx: MessageContext, at: string): { title: string; description: string } {
  const t = translator(ctx.locale, 'notifications.ics');
  const v = { service: ctx.serviceName, practice: ctx.practice.name, start: at };
  return { title: t('title', v), description: ctx.practice.phone ? t('descriptionPhone', { ...v, phone: ctx.practice.phone }) : t('description', v) };
}

export function renderRejected(ctx: MessageContext, reason: string | null, appUrl: string | null): Rendered {
  const t = translator(ctx.locale, 'notifications.rejected');
  const why = reason ?? translator(ctx.locale, 'notifications.letter')('noReason');
  const v = { ...names(ctx), reason: why };
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), translator(ctx.locale, 'notifications.letter')('reason', { reason: why }), t('freeAgain', { bookAgain: bookAgain(ctx, appUrl) })),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), why],
  };
}

export function renderExpired(ctx: MessageContext, appUrl: string | null): Rendered {
  const t = translator(ctx.locale, 'notifications.expired');
  const v = names(ctx);
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), bookAgain(ctx, appUrl)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx)],
  };
}

export interface CancelFacts {
  by: 'patient' | 'practice';
  /** True when a confirmed appointment was cancelled, false for a pending request. */
  appointment: boolean;
  reason: string | null;
}

export function renderCancelled(ctx: MessageContext, facts: CancelFacts, appUrl: string | null): Rendered {
  const t = translator(ctx.locale, 'notifications.cancelled');
  const v = { ...names(ctx), what: facts.appointment ? 'appointment' : 'request' };
  if (facts.by === 'patient') {
    return {
      subject: t('byPatientSubject', v),
      text: letter(ctx, t('byPatientIntro', v), bookAgain(ctx, appUrl)),
      short: t('byPatientShort', v),
      parameters: [ctx.practice.name, ctx.serviceName, start(ctx), t('byPatientParameter')],
    };
  }
  const reason = facts.reason ?? translator(ctx.locale, 'notifications.letter')('noReason');
  return {
    subject: t('byPracticeSubject', v),
    text: letter(ctx, t('byPracticeIntro', v), translator(ctx.locale, 'notifications.letter')('reason', { reason }), t('sorry', { bookAgain: bookAgain(ctx, appUrl) })),
    short: t('byPracticeShort', { ...v, reason }),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), reason],
  };
}

export function renderReminder(ctx: MessageContext): Rendered {
  const t = translator(ctx.locale, 'notifications.reminder');
  const v = { ...names(ctx), place: place(ctx) };
  return {
    subject: t('subject', v),
    text: letter(ctx, t('intro', v), [ctx.serviceName, start(ctx), place(ctx)].join('\n'), contact(ctx)),
    short: t('short', v),
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), place(ctx)],
  };
}

// ---------------------------------------------------------------------------
// To the practice (e-mail only), in the practice's default language
// ---------------------------------------------------------------------------

/** A time as the practice's messages name it (the practice's language). */
export function practiceWhen(ctx: MessageContext, instant: Date): string {
  return when(instant, ctx.practice.timeZone, ctx.practiceLocale);
}

function practiceNames(ctx: MessageContext) {
  return { patient: ctx.patient.name, phone: ctx.patient.phone, service: ctx.serviceName, start: practiceWhen(ctx, ctx.startsAt) };
}

export function renderNewRequest(ctx: MessageContext, dashboardUrl: string): Omit<Rendered, 'parameters'> {
  const t = translator(ctx.practiceLocale, 'notifications.practice');
  const v = { ...practiceNames(ctx), deadline: practiceWhen(ctx, ctx.expiresAt), url: dashboardUrl };
  return {
    subject: t('newRequestSubject', v),
    text: [t('newRequestAsks', v), t('newRequestAnswerBy', v), t('newRequestOpen', v)].join('\n\n'),
    short: t('newRequestShort', v),
  };
}

export function renderExpiryWarning(ctx: MessageContext, dashboardUrl: string): Omit<Rendered, 'parameters'> {
  const t = translator(ctx.practiceLocale, 'notifications.practice');
  const v = { ...practiceNames(ctx), deadline: practiceWhen(ctx, ctx.expiresAt), url: dashboardUrl };
  return {
    subject: t('expirySubject', v),
    text: [t('expiryNoAnswer', v), t('expiryExpires', v), t('expiryAnswer', v)].join('\n\n'),
    short: t('expiryShort', v),
  };
}

export function renderCancelledByPatient(ctx: MessageContext, appointment: boolean): Omit<Rendered, 'parameters'> {
  const t = translator(ctx.practiceLocale, 'notifications.practice');
  const v = { ...practiceNames(ctx), what: appointment ? 'appointment' : 'request' };
  return {
    subject: t('cancelledSubject', v),
    text: t('cancelledText', v),
    short: t('cancelledShort', v),
  };
}

/** WhatsApp rejects template parameters with new lines, tabs or more than four spaces in a row. */
export function whatsappParameter(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ').trim().slice(0, 1000) || '-';
}
