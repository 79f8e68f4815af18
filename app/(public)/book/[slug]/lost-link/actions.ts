'use server';

import { headers } from 'next/headers';
import { actionLocale, actionTranslator, publicAction } from '@/lib/actions';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';
import { requestPatientLink, LINK_TTL_MINUTES } from '@/lib/patient-links';

/** "Lost your link?": the same answer whether or not the contact is known (lib/patient-links). */
export const askPatientLinkAction = async (...args: Parameters<ReturnType<typeof publicAction>>) => {
  const t = await actionTranslator('booking.lostLink');
  return publicAction(
  async (input: { slug?: unknown; contact?: unknown }) => {
    const h = await headers();
    return requestPatientLink({ clientAddress: clientAddressFromHeaders(h), baseUrl: publicOriginFromHeaders(h), locale: await actionLocale() }, String(input.slug ?? ''), { contact: input.contact as string });
  },
  { name: 'patient_links.ask' },
  () => t('sent', { minutes: LINK_TTL_MINUTES }),
  )(...args);
};
