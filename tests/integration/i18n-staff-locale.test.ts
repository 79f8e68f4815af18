import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import type { Db } from '@/lib/db';
import { isDomainError } from '@/lib/errors';
import { localizeError } from '@/lib/i18n/errors';
import { setStaffLocale } from '@/lib/i18n/staff-locale';
import { actorByEmail } from '../helpers/actors';
import { setupTestDb } from '../helpers/db';

/**
 * A staff member's own dashboard language (issue 17): stored on their users row only, blank is
 * "automatic", anything else refused as a field error (in the reader's language on the page,
 * English for the API), signed out refused; the actor reloads with it.
 */
let db: Db;

beforeAll(async () => {
  db = (await setupTestDb()).db;
});

async function localeOf(email: string) {
  const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.email, email));
  return row.locale;
}

describe('setStaffLocale', () => {
  it('sets and clears the actor’s own language, and nobody else’s', async () => {
    const doctor = await actorByEmail(db, 'doctor@demo.test');
    expect(doctor.locale).toBeNull();
    expect(await setStaffLocale(doctor, { locale: 'es' })).toEqual({ locale: 'es' });
    expect(await localeOf('doctor@demo.test')).toBe('es');
    expect((await actorByEmail(db, 'doctor@demo.test')).locale).toBe('es');
    const others = await db.select({ email: users.email, locale: users.locale }).from(users);
    expect(others.filter((u) => u.email !== 'doctor@demo.test' && u.locale !== null)).toEqual([]);
    expect(await setStaffLocale(doctor, { locale: '' })).toEqual({ locale: null });
    expect(await localeOf('doctor@demo.test')).toBeNull();
  });

  it('refuses an unknown language and a signed-out caller, changing nothing', async () => {
    const doctor = await actorByEmail(db, 'doctor@demo.test');
    const refused = await setStaffLocale(doctor, { locale: 'fr' }).catch((e) => e);
    expect(isDomainError(refused) && refused.code).toBe('invalid_request');
    expect(refused.fields.locale).toBe('Choose a language.');
    expect(localizeError(refused.fields.locale, 'es')).toBe('Elija un idioma.');
    const anonymous = await setStaffLocale(null, { locale: 'es' }).catch((e) => e);
    expect(isDomainError(anonymous) && anonymous.code).toBe('unauthorized');
    expect(await localeOf('doctor@demo.test')).toBeNull();
  });
});
