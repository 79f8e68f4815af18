'use server';

import { refresh } from 'next/cache';
import { publicAction } from '@/lib/actions';
import { cancelRequestByToken } from '@/lib/booking/status';
import { acceptProposal } from '@/lib/proposals';

/** The patient cancels with their status token; the page then re-renders in its new state. */
export const cancelRequestAction = publicAction(
  async (input: { token?: unknown }) => {
    try {
      return await cancelRequestByToken(String(input.token ?? ''));
    } finally {
      // Cancelled, or it had moved on meanwhile (expired, decided): either way show its state now.
      refresh();
    }
  },
  { name: 'requests.cancel_by_patient' },
  () => 'Cancelled. The time is free again for other patients.',
);

/** The patient takes one of the times the practice offered: the appointment is confirmed at once. */
export const acceptProposalAction = publicAction(
  async (input: { token?: unknown; proposalId?: unknown }) => {
    try {
      return await acceptProposal(String(input.token ?? ''), { proposalId: input.proposalId });
    } finally {
      refresh();
    }
  },
  { name: 'requests.accept_proposal' },
  () => 'Confirmed: the appointment is at the time you chose.',
);
