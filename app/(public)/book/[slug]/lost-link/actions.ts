'use server';

import { headers } from 'next/headers';
import { actionLocale, publicAction } from '@/lib/actions';
import { clientAddressFromHeaders, publicOriginFromHeaders } from '@/lib/api/http';
import { requestPatientLink, LINK_TTL_MINUTES } from '@/lib/patient-links';

/** "Lost your link?": the same answer whether or not the contact is known (lib/patient-links). */
export const askPatientLinkAction = publicAction(
  async (input: { slug?: unknown; contact?: unknown }) => {
    const h = await headers();
    return requestPatientLink({ clientAddress: clientAddressFromHeaders(h), baseUrl: publicOriginFromHeaders(h), locale: await actionLocale() }, String(input.slug ?? ''), { contact: input.contact as string });
  },
  { name: 'patient_links.ask' },
  () =>
    `If that is an e-mail address or phone number you confirmed with this practice, a link to your appointments is on its way (by e-mail, or WhatsApp where the practice uses it). It works once, within ${LINK_TTL_MINUTES} minutes. Nothing arrived? Check your spam folder, or try the other contact you gave.`,
);
