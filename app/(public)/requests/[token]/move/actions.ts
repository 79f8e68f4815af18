'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { refresh } from 'next/cache';
import { publicAction } from '@/lib/actions';
import { publicOriginFromHeaders } from '@/lib/api/http';
import { moveRequest, withdrawMove } from '@/lib/booking/move';

/** The patient moves their request to the chosen time (issue 15); the status page then shows where it stands. */
export const moveRequestAction = publicAction(
  async (input: { token?: unknown; startsAt?: unknown }) => {
    const token = String(input.token ?? '');
    await moveRequest(token, { startsAt: input.startsAt as string }, { baseUrl: publicOriginFromHeaders(await headers()) });
    redirect(`/requests/${encodeURIComponent(token)}?moved=1`);
  },
  { name: 'requests.move_by_patient' },
);

/** The patient keeps their appointment's time: the move waiting for the practice is withdrawn. */
export const withdrawMoveAction = publicAction(
  async (input: { token?: unknown }) => {
    try {
      return await withdrawMove(String(input.token ?? ''));
    } finally {
      refresh();
    }
  },
  { name: 'requests.withdraw_move' },
  (r) => (r.withdrawn ? 'Done: your appointment stays at its time, and the other time is free again.' : 'There was no move waiting; your appointment is as shown.'),
);
