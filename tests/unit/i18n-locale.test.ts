import { describe, expect, it } from 'vitest';
import { errorText, localizeError } from '@/lib/i18n/errors';
import { formatPrice, formatWhen, zoneName } from '@/lib/i18n/format';
import { acceptLanguageLocale, isStaffPath, publicLocale, safeBackPath, staffLocale } from '@/lib/i18n/negotiate';
import { translator } from '@/lib/i18n/translator';

describe('locale resolution', () => {
  it('reads Accept-Language by quality, a region counting as its language', () => {
    expect(acceptLanguageLocale('es-ES,es;q=0.9,en;q=0.8')).toBe('es');
    expect(acceptLanguageLocale('fr-FR, en;q=0.5, es;q=0.7')).toBe('es');
    expect(acceptLanguageLocale('en-US')).toBe('en');
    expect(acceptLanguageLocale('fr, de')).toBeUndefined();
    expect(acceptLanguageLocale('es;q=0, en;q=0.1')).toBe('en');
    expect(acceptLanguageLocale(null)).toBeUndefined();
  });

  it('staff: their own choice, then the browser, then the practice, then English', () => {
    expect(staffLocale({ userLocale: 'es', acceptLanguage: 'en', practiceDefault: 'en' })).toBe('es');
    expect(staffLocale({ userLocale: null, acceptLanguage: 'es-MX', practiceDefault: 'en' })).toBe('es');
    expect(staffLocale({ userLocale: null, acceptLanguage: 'fr', practiceDefault: 'es' })).toBe('es');
    expect(staffLocale({ userLocale: 'xx', acceptLanguage: null, practiceDefault: null })).toBe('en');
  });

  it('public: the switcher cookie, then the browser, then the practice, then English', () => {
    expect(publicLocale({ cookie: 'en', acceptLanguage: 'es', practiceDefault: 'es' })).toBe('en');
    expect(publicLocale({ cookie: 'nope', acceptLanguage: 'es', practiceDefault: 'en' })).toBe('es');
    expect(publicLocale({ acceptLanguage: 'de', practiceDefault: 'es' })).toBe('es');
    expect(publicLocale({})).toBe('en');
  });

  it('goes back only to a same-site path', () => {
    expect(safeBackPath('/book/demo?service=1')).toBe('/book/demo?service=1');
    for (const bad of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', null, '/a\nb']) {
      expect(safeBackPath(bad)).toBe('/');
    }
    expect(isStaffPath('/dashboard/requests')).toBe(true);
    expect(isStaffPath('/dashboards')).toBe(false);
  });
});

describe('formatting in the practice’s zone, named', () => {
  const at = new Date('2026-12-01T12:00:00Z');

  it('dates with the weekday, the time and the zone by its city', () => {
    expect(formatWhen('es', at, 'Europe/Madrid')).toBe('martes, 1 de diciembre, 13:00 (hora de Madrid)');
    expect(formatWhen('en', at, 'Europe/Madrid')).toBe('Tuesday 1 December, 13:00 (Madrid time)');
    expect(formatWhen('es', at, 'America/New_York')).toBe('martes, 1 de diciembre, 07:00 (hora de New York)');
    expect(zoneName('en', 'UTC')).toBe('UTC');
  });

  it('prices and plurals in the locale', () => {
    expect(formatPrice('es', 4550, 'EUR')).toBe('45,50\u00a0€');
    expect(formatPrice('en', 4550, 'EUR')).toBe('€45.50');
    expect(formatPrice('es', 4500, 'JPY')).toBe('4500\u00a0JPY');
  });

  it('error messages: English for the API, the reader’s language on a page', () => {
    const message = errorText('field.tooLong', { what: 'Name', max: 1000 });
    expect(message).toBe('Name can be at most 1,000 characters.');
    expect(localizeError(message, 'es')).toBe('Escriba como máximo 1000 caracteres.');
    expect(localizeError(message, 'en')).toBe(message);
    expect(localizeError('An English literal not moved yet.', 'es', 'conflict')).toBe(translator('es', 'errors.code')('conflict'));
    // The dashboard's appointment and note refusals, English word for word as they were.
    const already = errorText('appointments.already', { status: 'no_show' });
    expect(already).toBe('This appointment is already no-show.');
    expect(localizeError(already, 'es', 'conflict')).toBe('Esta cita ya está marcada como no presentada.');
    expect(localizeError(errorText('notes.nothingChanged'), 'es', 'invalid_request')).toBe('No ha cambiado nada desde la última versión.');
  });
});
