import { ClientMessages } from '@/components/i18n/client-messages';
import { OfferedTimesForm } from './offered-times-form';

/**
 * On the patient's status page: the times the practice offered instead, each taken with one tap
 * (the appointment is confirmed at once), and the way to decline (cancel the request). Its own
 * provider sends only `requests.offered` with the page.
 */
export function OfferedTimes(props: { token: string; times: { id: string; label: string }[]; deadline: string }) {
  return (
    <ClientMessages paths={['requests.offered']}>
      <OfferedTimesForm {...props} />
    </ClientMessages>
  );
}
