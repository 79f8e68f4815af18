'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useActionState } from 'react';
import { signOutEverywhereAction, signOutSessionAction } from '@/app/dashboard/account/actions';

export interface SessionRow {
  id: string;
  current: boolean;
  device: string;
  address: string;
  signedIn: string;
  lastActive: string;
}

export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const [state, endOne, pendingOne] = useActionState(signOutSessionAction, undefined);
  const [everywhere, endAll, pendingAll] = useActionState(signOutEverywhereAction, undefined);
  const error = state?.error ?? everywhere?.error;
  const t = useTranslations('dashboard.sessions');
  return (
    <div className="mt-3 space-y-3">
      {error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      {state?.message && <p role="status" className="text-sm text-green-800">{state.message}</p>}
      <table className="w-full text-left text-sm">
        <thead>
          <tr className="border-b border-slate-200 text-slate-700">
            <th scope="col" className="py-2 pr-3 font-medium">{t('device')}</th>
            <th scope="col" className="py-2 pr-3 font-medium">{t('address')}</th>
            <th scope="col" className="py-2 pr-3 font-medium">{t('signedIn')}</th>
            <th scope="col" className="py-2 pr-3 font-medium">{t('lastActivity')}</th>
            <th scope="col" className="py-2 font-medium"><span className="sr-only">{t('action')}</span></th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id} className="border-b border-slate-100" data-testid="session-row">
              <td className="py-2 pr-3">
                {s.device}
                {s.current && <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs text-green-900">{t('thisBrowser')}</span>}
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{s.address}</td>
              <td className="py-2 pr-3">{s.signedIn}</td>
              <td className="py-2 pr-3">{s.lastActive}</td>
              <td className="py-2">
                <form action={endOne}>
                  <input type="hidden" name="sessionId" value={s.id} />
                  <button type="submit" disabled={pendingOne} className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100">
                    {t('signOut')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form action={endAll}>
        <button type="submit" disabled={pendingAll} className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50">
          {t('signOutEverywhere')}
        </button>
      </form>
    </div>
  );
}
