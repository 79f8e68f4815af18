import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/**
 * Phone numbers as people type them. Stored as E.164 (+34600111222); typed in any common form:
 * "+34 600 11 12 22", "0034 600-111-222", or nationally ("600 111 222") for a practice's own
 * country. Shown nationally to the practice's compatriots ("600 11 12 22" for a Spanish practice)
 * and internationally otherwise ("+44 7700 900123"). libphonenumber-js with its full metadata
 * (`/max`): it knows each country's real number ranges, so a national number with a digit too many
 * is refused instead of stored wrong. Server-side only (the metadata is large).
 */

/** ISO 3166-1 alpha-2 codes libphonenumber knows (the practice's country select). */
export const PHONE_COUNTRIES: readonly string[] = getCountries();

export function isPhoneCountry(value: unknown): value is CountryCode {
  return typeof value === 'string' && (PHONE_COUNTRIES as string[]).includes(value);
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The E.164 form of a typed number, or null when it is not one. A number with its country code
 * ("+…" or "00…") is taken as it is written (7 to 15 digits, as the API always accepted); one
 * without needs `defaultCountry` and must be a real number there.
 */
export function parsePhone(typed: string, defaultCountry?: string | null): string | null {
  if (typeof typed !== 'string' || typed.length > 40) return null;
  const compact = typed.trim().replace(/[\s\-().\u00a0/]/g, '');
  if (!compact) return null;
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
    return E164.test(international) ? international : null;
  }
  if (!/^\d+$/.test(compact) || !isPhoneCountry(defaultCountry)) return null;
  const parsed = parsePhoneNumberFromString(compact, defaultCountry);
  return parsed?.isValid() && E164.test(parsed.number) ? parsed.number : null;
}

/**
 * A stored number for people to read: national for numbers of `country` (the practice's),
 * international for the rest; as stored when it cannot be parsed.
 */
export function formatPhone(e164: string | null | undefined, country?: string | null): string {
  if (!e164) return '';
  // Parsing is the costly part (7 % of the render of a page of 50 requests): numbers
  // as written are kept, a bounded few (a page's worth many times over).
  const key = `${country ?? ''} ${e164}`;
  let written = writtenPhones.get(key);
  if (written === undefined) {
    const parsed = parsePhoneNumberFromString(e164);
    written = !parsed ? e164 : country && parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
    if (writtenPhones.size >= 5000) writtenPhones.clear();
    writtenPhones.set(key, written);
  }
  return written;
}

const writtenPhones = new Map<string, string>();

/** A number of the country as its people write it ("600 111 222" for Spain), for hints; undefined when none is at hand. */
export function phoneExample(country?: string | null): string | undefined {
  return isPhoneCountry(country) ? examples[country]?.national : undefined;
}

/** The message of a number that could not be read, naming the country it was read for. */
export function phoneMessage(defaultCountry?: string | null): string {
  const example = isPhoneCountry(defaultCountry) ? examples[defaultCountry] : undefined;
  return example
    ? `Enter a phone number such as ${example.national}, or with the country code, such as ${example.international}.`
    : 'Use the international format with the country code, e.g. +34600111222.';
}

const examples: Partial<Record<CountryCode, { national: string; international: string }>> = {
  ES: { national: '600 111 222', international: '+34 600 111 222' },
  GB: { national: '07700 900123', international: '+44 7700 900123' },
  FR: { national: '06 12 34 56 78', international: '+33 6 12 34 56 78' },
  DE: { national: '01512 3456789', international: '+49 1512 3456789' },
  IT: { national: '312 345 6789', international: '+39 312 345 6789' },
  PT: { national: '912 345 678', international: '+351 912 345 678' },
  US: { national: '(201) 555-0123', international: '+1 201 555 0123' },
  MX: { national: '222 123 4567', international: '+52 222 123 4567' },
};

/**
 * The zod schema of a phone field: a typed number to E.164. Without a country only international
 * numbers are accepted (the API's documented form).
 */
export function phoneSchema(defaultCountry?: string | null) {
  return z.preprocess(
    // Unreadable input stays as typed and fails the pattern with the message below.
    (v) => (typeof v === 'string' ? (parsePhone(v, defaultCountry) ?? v) : v),
    z.string({ error: 'Enter a phone number.' }).regex(E164, phoneMessage(defaultCountry)),
  );
}
