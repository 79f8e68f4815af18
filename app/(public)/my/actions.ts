'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { publicAction } from '@/lib/actions';
import { secureCookies } from '@/lib/env';
import { endPatientSession, openPatientLink, PATIENT_SESSION_COOKIE } from '@/lib/patient-links';

/** Spends the single-use link (a button, not the GET: mail scanners open links) and starts the patient session. */
export const openPatientLinkAction = publicAction(
  async (input: { token?: unknown }) => {
    const opened = await openPatientLink(String(input.token ?? ''));
    (await cookies()).set(PATIENT_SESSION_COOKIE, opened.sessionToken, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies(),
      path: '/my',
      expires: opened.expiresAt,
    });
    redirect('/my');
  },
  { name: 'patient_links.open' },
);

/** Ends the patient session now. */
export async function signOutPatientAction(): Promise<void> {
  const jar = await cookies();
  await endPatientSession(jar.get(PATIENT_SESSION_COOKIE)?.value);
  jar.delete({ name: PATIENT_SESSION_COOKIE, path: '/my' });
  redirect('/my');
}
