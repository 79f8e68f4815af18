import { ClientMessages } from '@/components/i18n/client-messages';
import { MoveConfirmForm, WithdrawMoveForm } from './move-forms-client';

/**
 * The move's forms (issue 15) on the patient's pages, each with its own provider sending only
 * `requests.moveForms` with the page (the forms are client components; move-forms-client.tsx).
 */
export function MoveConfirm(props: { token: string; startsAt: string; from: string; to: string; next: string; backHref: string }) {
  return (
    <ClientMessages paths={['requests.moveForms']}>
      <MoveConfirmForm {...props} />
    </ClientMessages>
  );
}

/** "Keep my current time": withdraws a move waiting for the practice. */
export function WithdrawMove({ token }: { token: string }) {
  return (
    <ClientMessages paths={['requests.moveForms']}>
      <WithdrawMoveForm token={token} />
    </ClientMessages>
  );
}
