'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { AlternativeTime, CodeStepState } from '@/components/booking/types';
import { actionLocale, actionTranslator, publicAction } from '@/lib/actions';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';
import { readRememberedContacts, rememberContact, rememberedCookieOptions, REMEMBERED_COOKIE } from '@/lib/booking/remembered';
import { acceptVerification, getVerification, resendVerificationCode } from '@/lib/booking/verification';
import { secureCookies } from '@/lib/env';
import { DomainError, isDomainError } from '@/lib/errors';
import { nearestStarts } from '../../booking';

interface CodeForm {
  id?: unknown;
  slug?: unknown;
  code?: unknown;
  startsAt?: unknown;
}

function codeStepPath(slug: string, id: string): string {
  return `/book/${encodeURIComponent(slug)}/verify/${encodeURIComponent(id)}`;
}

/**
 * The patient enters the code. Right: the request is created in the same transaction (the time is
 * claimed only now), the browser remembers the proved contact for 30 days, and the status page
 * opens. Wrong: the message says how many tries are left. Expired or used up: the code step shows
 * how to start again. The time taken meanwhile: the nearest free times are offered, and the same
 * code can take one of them.
 */
export async function acceptCodeAction(prev: CodeStepState | undefined, formData: FormData): Promise<CodeStepState> {
  let alternatives: AlternativeTime[] | undefined;
  const state = await publicAction(
    async (form: CodeForm) => {
      const id = String(form.id ?? '');
      const slug = String(form.slug ?? '');
      const startsAt = typeof form.startsAt === 'string' && form.startsAt ? form.startsAt : undefined;
      const h = await headers();
      let accepted: Awaited<ReturnType<typeof acceptVerification>>;
      try {
        accepted = await acceptVerification(id, { code: form.code, startsAt }, { baseUrl: publicOriginFromHeaders(h) });
      } catch (err) {
        if (isDomainError(err) && err.code === 'verification_expired') redirect(codeStepPath(slug, id));
        if (isDomainError(err) && err.code === 'slot_unavailable') {
          const view = await getVerification(id);
          alternatives = await nearestStarts(view.slug, view.serviceId, new Date(startsAt ?? view.startsAt));
          const next = alternatives.length ? 'Choose one of the nearest free times below and confirm with the same code' : 'Choose another day';
          throw new DomainError('slot_unavailable', `That time was taken while you were reading the code. ${next}; what you typed is kept.`, {
            startsAt: 'That time is no longer free.',
          });
        }
        throw err;
      }
      const jar = await cookies();
      const kept = jar.get(REMEMBERED_COOKIE)?.value;
      // Only a cookie that still reads is carried over; a forged or expired one starts afresh.
      const existing = readRememberedContacts(kept).length ? kept : undefined;
      jar.set(REMEMBERED_COOKIE, rememberContact(existing, accepted.contact), rememberedCookieOptions(secureCookies()));
      redirect(`/requests/${accepted.request.token}?sent=1`);
    },
    { name: 'booking.accept_code' },
  )(prev, formData);
  return alternatives ? { ...state, alternatives } : state;
}

/** "Send a new code": at most once per 30 seconds (the server refuses earlier, saying how long to wait). */
export async function resendCodeAction(prev: CodeStepState | undefined, formData: FormData): Promise<CodeStepState> {
  let resendAt: string | undefined;
  const t = await actionTranslator('booking.code');
  const state = await publicAction(
    async (form: CodeForm) => {
      const id = String(form.id ?? '');
      const slug = String(form.slug ?? '');
      try {
        const sent = await resendVerificationCode(id, { clientAddress: clientAddressFromHeaders(await headers()), locale: await actionLocale() });
        resendAt = (await getVerification(id)).resendAt.toISOString();
        return sent;
      } catch (err) {
        if (isDomainError(err) && err.code === 'verification_expired') redirect(codeStepPath(slug, id));
        throw err;
      }
    },
    { name: 'booking.resend_code' },
    (sent) => t('resent', { to: sent.sentTo }),
  )(prev, formData);
  return resendAt ? { ...state, resendAt } : state;
}
