import type { Translate } from '@/lib/i18n/translator';

/**
 * The booking form's words in the page's language, made on the server and passed to the client
 * form as plain strings: the form needs no message catalog or formatter of its own, so the booking
 * page's JavaScript does not grow with the languages (issue 17, Must show 4).
 */
// i18n-keys: booking.form.*
export function formWords(
  t: Translate,
  v: { practice: string; within: string; by: 'email' | 'whatsapp'; example?: string; times: string },
) {
  return {
    fields: {
      'patient.name': t('fieldName'),
      'patient.phone': t('fieldPhone'),
      'patient.email': t('fieldEmail'),
      'patient.dateOfBirth': t('fieldDateOfBirth'),
      reason: t('fieldReason'),
      consent: t('fieldConsent'),
      whatsappOptOut: t('fieldWhatsapp'),
      startsAt: t('fieldTime'),
    } as Record<string, string>,
    /** "Check: {fields}." with the placeholder kept for the client to fill. */
    check: t('check', { fields: '{fields}' }),
    name: t('name'),
    phone: t('phone'),
    email: v.by === 'email' ? t('email') : t('emailOptional'),
    dateOfBirth: t('dateOfBirth'),
    reason: t('reason'),
    consent: t('consent'),
    whatsappOptOut: t('whatsappOptOut'),
    nearest: t('nearest'),
    noneNear: t('noneNear'),
    otherDay: t('otherDay'),
    phoneHint: v.example ? t('phoneHintNational', { example: v.example }) : t('phoneHint'),
    emailHint: v.by === 'email' ? t('emailHintCode') : t('emailHint'),
    dateOfBirthHint: t('dateOfBirthHint'),
    reasonHint: t('reasonHint'),
    note: t('note', { practice: v.practice, by: v.by, within: v.within }),
    sending: t('sending'),
    send: t('send'),
    times: v.times,
  };
}

export type FormWords = ReturnType<typeof formWords>;
