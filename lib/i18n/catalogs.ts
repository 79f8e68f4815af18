import type { AbstractIntlMessages } from 'use-intl/core';
import enAppointments from '@/messages/en/appointments.json';
import enAuth from '@/messages/en/auth.json';
import enBooking from '@/messages/en/booking.json';
import enCommon from '@/messages/en/common.json';
import enDashboard from '@/messages/en/dashboard.json';
import enErrors from '@/messages/en/errors.json';
import enNotifications from '@/messages/en/notifications.json';
import enRequests from '@/messages/en/requests.json';
import enSettings from '@/messages/en/settings.json';
import enStatus from '@/messages/en/status.json';
import esAppointments from '@/messages/es/appointments.json';
import esAuth from '@/messages/es/auth.json';
import esBooking from '@/messages/es/booking.json';
import esCommon from '@/messages/es/common.json';
import esDashboard from '@/messages/es/dashboard.json';
import esErrors from '@/messages/es/errors.json';
import esNotifications from '@/messages/es/notifications.json';
import esRequests from '@/messages/es/requests.json';
import esSettings from '@/messages/es/settings.json';
import esStatus from '@/messages/es/status.json';
import type { Locale } from './locales';

/**
 * The one loader of the message catalogs: messages/<locale>/<namespace>.json, one file per area
 * so that helpers working on different areas never edit the same file. Each file's name is its
 * top-level namespace: `getTranslations('dashboard.account')` reads messages/<locale>/dashboard.json's
 * `account` object. A new area: add its two files and one line per locale below.
 *
 * booking (public booking flow), status (request status page) and notifications (e-mail,
 * WhatsApp, .ics) are phase 2 of issue 17.
 */
const CATALOGS = {
  en: {
    common: enCommon,
    errors: enErrors,
    auth: enAuth,
    dashboard: enDashboard,
    appointments: enAppointments,
    requests: enRequests,
    settings: enSettings,
    booking: enBooking,
    status: enStatus,
    notifications: enNotifications,
  },
  es: {
    common: esCommon,
    errors: esErrors,
    auth: esAuth,
    dashboard: esDashboard,
    appointments: esAppointments,
    requests: esRequests,
    settings: esSettings,
    booking: esBooking,
    status: esStatus,
    notifications: esNotifications,
  },
} satisfies Record<Locale, Record<string, AbstractIntlMessages>>;

export type Namespace = keyof (typeof CATALOGS)['en'];
export const NAMESPACES = Object.keys(CATALOGS.en) as Namespace[];

/** Every message of a locale (server side: getRequestConfig, createTranslator). */
export function messagesFor(locale: Locale): AbstractIntlMessages {
  return CATALOGS[locale];
}

/**
 * Only the named parts of a catalog, for a NextIntlClientProvider: a client component's messages
 * travel with every page that renders it, so each provider passes only what its client
 * components read. A path is a namespace or a dotted sub-path ('auth.login', 'common.switcher').
 */
export function pickMessages(locale: Locale, paths: readonly string[]): AbstractIntlMessages {
  const out: AbstractIntlMessages = {};
  for (const path of paths) {
    const parts = path.split('.');
    let from: unknown = CATALOGS[locale];
    for (const part of parts) from = from && typeof from === 'object' ? (from as Record<string, unknown>)[part] : undefined;
    if (from === undefined) throw new Error(`No messages at ${path}`);
    let to = out;
    for (const part of parts.slice(0, -1)) to = (to[part] ??= {}) as AbstractIntlMessages;
    to[parts[parts.length - 1]] = from as AbstractIntlMessages;
  }
  return out;
}
