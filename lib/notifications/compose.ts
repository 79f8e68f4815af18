import { formatDateTime, formatTime } from '@/lib/format';
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

/** "Mon, 7 Jan 2030, 09:30 (Europe/Madrid)" */
export function when(instant: Date, timeZone: string): string {
  return `${formatDateTime(instant, timeZone, { year: 'numeric' })} (${timeZone})`;
}

export function start(ctx: MessageContext): string {
  return when(ctx.startsAt, ctx.practice.timeZone);
}

export function place(ctx: MessageContext): string {
  return ctx.practice.address ?? ctx.practice.name;
}

/** How to reach the practice, for messages written after the patient's status link was sent. */
export function contact(ctx: MessageContext): string {
  const ways = [ctx.practice.phone && `call ${ctx.practice.phone}`, ctx.practice.email && `write to ${ctx.practice.email}`].filter(Boolean);
  return ways.length ? `To change or cancel, use the status link from our first message, or ${ways.join(' or ')}.` : 'To change or cancel, use the status link from our first message.';
}

function signature(ctx: MessageContext): string {
  return [ctx.practice.name, ctx.practice.address, [ctx.practice.phone, ctx.practice.email].filter(Boolean).join(' · ')].filter(Boolean).join('\n');
}

function bookAgain(ctx: MessageContext, appUrl: string | null): string {
  if (appUrl) return `To ask for another time: ${appUrl.replace(/\/$/, '')}/book/${ctx.practice.slug}`;
  return ctx.practice.phone ? `To ask for another time, call ${ctx.practice.phone}.` : 'You are welcome to ask for another time.';
}

export function letter(ctx: MessageContext, ...paragraphs: (string | null | false)[]): string {
  return [`Hello ${ctx.patient.name},`, ...paragraphs.filter(Boolean), signature(ctx)].join('\n\n');
}

export function renderReceived(ctx: MessageContext): Rendered {
  const deadline = when(ctx.expiresAt, ctx.practice.timeZone);
  return {
    subject: `Request received: ${ctx.serviceName}, ${start(ctx)}`,
    text: letter(
      ctx,
      `${ctx.practice.name} has received your request for ${ctx.serviceName} on ${start(ctx)}.`,
      `It is not an appointment yet: the practice will answer by ${deadline}. Without an answer by then the request expires and the time is freed.`,
      `Follow or cancel your request: ${STATUS_LINK_PLACEHOLDER}`,
    ),
    short: `${ctx.practice.name}: request received for ${ctx.serviceName} on ${start(ctx)}. Answer by ${deadline}. Status: ${STATUS_LINK_PLACEHOLDER}`,
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), deadline, STATUS_LINK_PLACEHOLDER],
  };
}

export function renderApproved(ctx: MessageContext): Rendered {
  const until = formatTime(ctx.endsAt, ctx.practice.timeZone);
  return {
    subject: `Appointment confirmed: ${ctx.serviceName}, ${start(ctx)}`,
    text: letter(
      ctx,
      `${ctx.practice.name} has confirmed your appointment:`,
      [ctx.serviceName, `${formatDateTime(ctx.startsAt, ctx.practice.timeZone, { year: 'numeric' })} to ${until} (${ctx.practice.timeZone})`, place(ctx)].join('\n'),
      'The calendar file is attached.',
      contact(ctx),
    ),
    short: `${ctx.practice.name}: appointment confirmed. ${ctx.serviceName}, ${start(ctx)}, ${place(ctx)}.`,
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), place(ctx)],
  };
}

export function renderRejected(ctx: MessageContext, reason: string, appUrl: string | null): Rendered {
  return {
    subject: `Request not accepted: ${ctx.serviceName}, ${start(ctx)}`,
    text: letter(
      ctx,
      `${ctx.practice.name} could not accept your request for ${ctx.serviceName} on ${start(ctx)}.`,
      `Reason: ${reason}`,
      `The time is free again. ${bookAgain(ctx, appUrl)}`,
    ),
    short: `${ctx.practice.name}: your request for ${ctx.serviceName} on ${start(ctx)} was not accepted. Reason: ${reason}`,
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), reason],
  };
}

export function renderExpired(ctx: MessageContext, appUrl: string | null): Rendered {
  return {
    subject: `Request expired: ${ctx.serviceName}, ${start(ctx)}`,
    text: letter(
      ctx,
      `${ctx.practice.name} could not answer your request for ${ctx.serviceName} on ${start(ctx)} in time, so it has expired and the time is free again.`,
      bookAgain(ctx, appUrl),
    ),
    short: `${ctx.practice.name}: your request for ${ctx.serviceName} on ${start(ctx)} expired without an answer; the time is free again.`,
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
  const what = facts.appointment ? 'appointment' : 'request';
  const Title = facts.appointment ? 'Appointment' : 'Request';
  if (facts.by === 'patient') {
    return {
      subject: `${Title} cancelled: ${ctx.serviceName}, ${start(ctx)}`,
      text: letter(ctx, `Your ${what} for ${ctx.serviceName} on ${start(ctx)} is cancelled, as you asked.`, bookAgain(ctx, appUrl)),
      short: `${ctx.practice.name}: your ${what} for ${ctx.serviceName} on ${start(ctx)} is cancelled, as you asked.`,
      parameters: [ctx.practice.name, ctx.serviceName, start(ctx), 'Cancelled at your request.'],
    };
  }
  const reason = facts.reason ?? 'No reason given.';
  return {
    subject: `${Title} cancelled by the practice: ${ctx.serviceName}, ${start(ctx)}`,
    text: letter(
      ctx,
      `${ctx.practice.name} has had to cancel your ${what} for ${ctx.serviceName} on ${start(ctx)}.`,
      `Reason: ${reason}`,
      `We are sorry for the trouble. ${bookAgain(ctx, appUrl)}`,
    ),
    short: `${ctx.practice.name} cancelled your ${what} for ${ctx.serviceName} on ${start(ctx)}. Reason: ${reason}`,
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), reason],
  };
}

export function renderReminder(ctx: MessageContext): Rendered {
  return {
    subject: `Reminder: ${ctx.serviceName}, ${start(ctx)}`,
    text: letter(ctx, `A reminder of your appointment with ${ctx.practice.name}:`, [ctx.serviceName, start(ctx), place(ctx)].join('\n'), contact(ctx)),
    short: `${ctx.practice.name}: reminder of your appointment, ${ctx.serviceName}, ${start(ctx)}, ${place(ctx)}.`,
    parameters: [ctx.practice.name, ctx.serviceName, start(ctx), place(ctx)],
  };
}

// ---------------------------------------------------------------------------
// To the practice (e-mail only)
// ---------------------------------------------------------------------------

export function renderNewRequest(ctx: MessageContext, dashboardUrl: string): Omit<Rendered, 'parameters'> {
  const deadline = when(ctx.expiresAt, ctx.practice.timeZone);
  return {
    subject: `New request: ${ctx.patient.name}, ${ctx.serviceName}, ${start(ctx)}`,
    text: [
      `${ctx.patient.name} (${ctx.patient.phone}) asks for ${ctx.serviceName} on ${start(ctx)}.`,
      `Answer by ${deadline}; without an answer the request expires and the time is freed.`,
      `Read the request and approve or reject it: ${dashboardUrl}`,
    ].join('\n\n'),
    short: `New request: ${ctx.patient.name}, ${ctx.serviceName}, ${start(ctx)}. Answer by ${deadline}.`,
  };
}

export function renderExpiryWarning(ctx: MessageContext, dashboardUrl: string): Omit<Rendered, 'parameters'> {
  const deadline = when(ctx.expiresAt, ctx.practice.timeZone);
  return {
    subject: `Unanswered request expires ${deadline}: ${ctx.patient.name}, ${start(ctx)}`,
    text: [
      `The request of ${ctx.patient.name} for ${ctx.serviceName} on ${start(ctx)} has no answer yet.`,
      `It expires at ${deadline} and the time is then freed.`,
      `Answer it now: ${dashboardUrl}`,
    ].join('\n\n'),
    short: `Unanswered request of ${ctx.patient.name} (${ctx.serviceName}, ${start(ctx)}) expires at ${deadline}.`,
  };
}

export function renderCancelledByPatient(ctx: MessageContext, appointment: boolean): Omit<Rendered, 'parameters'> {
  const what = appointment ? 'appointment' : 'request';
  return {
    subject: `Cancelled by the patient: ${ctx.patient.name}, ${ctx.serviceName}, ${start(ctx)}`,
    text: `${ctx.patient.name} (${ctx.patient.phone}) cancelled the ${what} for ${ctx.serviceName} on ${start(ctx)}. The time is free again.`,
    short: `${ctx.patient.name} cancelled the ${what} for ${ctx.serviceName} on ${start(ctx)}.`,
  };
}

/** WhatsApp rejects template parameters with new lines, tabs or more than four spaces in a row. */
export function whatsappParameter(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').replace(/ {4,}/g, '   ').trim().slice(0, 1000) || '-';
}
