import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readRememberedContacts, rememberContact, rememberedCookieOptions, REMEMBER_DAYS, REMEMBER_MAX } from '@/lib/booking/remembered';

const KEY = 'unit-test-secret-0123456789abcdef';
const now = new Date('2030-01-07T09:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

describe('remembered contacts cookie', () => {
  it('reads back what it wrote, e-mail lower-cased, as proved by the browser', () => {
    const value = rememberContact(undefined, { kind: 'email', value: 'Lucia@Example.TEST' }, now, KEY);
    expect(readRememberedContacts(value, now, KEY)).toEqual([{ kind: 'email', value: 'lucia@example.test', by: 'browser' }]);
    const two = rememberContact(value, { kind: 'phone', value: '+34600111222' }, now, KEY);
    expect(readRememberedContacts(two, now, KEY)).toEqual([
      { kind: 'phone', value: '+34600111222', by: 'browser' },
      { kind: 'email', value: 'lucia@example.test', by: 'browser' },
    ]);
  });

  it('keeps a contact 30 days, then forgets it', () => {
    const value = rememberContact(undefined, { kind: 'email', value: 'a@example.test' }, now, KEY);
    expect(readRememberedContacts(value, later(REMEMBER_DAYS - 0.001), KEY)).toHaveLength(1);
    expect(readRememberedContacts(value, later(REMEMBER_DAYS), KEY)).toEqual([]);
    expect(readRememberedContacts(value, later(45), KEY)).toEqual([]);
  });

  it('proving a contact again renews it and does not list it twice', () => {
    const first = rememberContact(undefined, { kind: 'email', value: 'a@example.test' }, now, KEY);
    const again = rememberContact(first, { kind: 'email', value: 'A@example.test' }, later(20), KEY);
    expect(readRememberedContacts(again, later(40), KEY)).toEqual([{ kind: 'email', value: 'a@example.test', by: 'browser' }]);
  });

  it(`holds at most ${REMEMBER_MAX} contacts, the newest`, () => {
    let value: string | undefined;
    for (let i = 0; i < REMEMBER_MAX + 3; i++) value = rememberContact(value, { kind: 'email', value: `p${i}@example.test` }, now, KEY);
    const read = readRememberedContacts(value, now, KEY).map((c) => c.value);
    expect(read).toHaveLength(REMEMBER_MAX);
    expect(read[0]).toBe(`p${REMEMBER_MAX + 2}@example.test`);
    expect(read).not.toContain('p0@example.test');
  });

  it('refuses a changed payload, a changed or missing signature, another key and garbage', () => {
    const value = rememberContact(undefined, { kind: 'email', value: 'a@example.test' }, now, KEY);
    const [payload, signature] = value.split('.');
    const forged = Buffer.from(JSON.stringify([{ k: 'email', v: 'victim@example.test', e: later(10).getTime() }])).toString('base64url');
    expect(readRememberedContacts(`${forged}.${signature}`, now, KEY)).toEqual([]);
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(readRememberedContacts(`${payload}.${flipped}`, now, KEY)).toEqual([]);
    expect(readRememberedContacts(payload, now, KEY)).toEqual([]);
    expect(readRememberedContacts(`${payload}.`, now, KEY)).toEqual([]);
    expect(readRememberedContacts(value, now, 'another-secret-0123456789abcdef')).toEqual([]);
    for (const junk of [undefined, null, '', '.', 'x.y', '%%%.%%%', 'a'.repeat(5000)]) expect(readRememberedContacts(junk, now, KEY)).toEqual([]);
  });

  it('refuses a validly signed entry of the wrong shape or with an expiry beyond 30 days', () => {
    // Signed with the key, as only the server could: the reader still checks every entry.
    const signedWith = (entries: unknown) => {
      const payload = Buffer.from(JSON.stringify(entries)).toString('base64url');
      return `${payload}.${createHmac('sha256', KEY).update(`remembered-contacts\0${payload}`).digest('base64url')}`;
    };
    expect(readRememberedContacts(signedWith([{ k: 'email', v: 'ok@example.test', e: later(5).getTime() }]), now, KEY)).toHaveLength(1);
    expect(readRememberedContacts(signedWith([{ k: 'email', v: 'far@example.test', e: later(400).getTime() }]), now, KEY)).toEqual([]);
    expect(readRememberedContacts(signedWith([{ k: 'name', v: 'x', e: later(5).getTime() }]), now, KEY)).toEqual([]);
    expect(readRememberedContacts(signedWith({ k: 'email', v: 'x', e: 1 }), now, KEY)).toEqual([]);
    expect(readRememberedContacts(signedWith([{ k: 'email', v: '', e: later(5).getTime() }]), now, KEY)).toEqual([]);
  });

  it('is HttpOnly, SameSite=Lax, scoped to the booking pages, 30 days, Secure on https', () => {
    expect(rememberedCookieOptions(true)).toEqual({ httpOnly: true, sameSite: 'lax', secure: true, path: '/book', maxAge: 30 * 86_400 });
    expect(rememberedCookieOptions(false).secure).toBe(false);
  });
});
