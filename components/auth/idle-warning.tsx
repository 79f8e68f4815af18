'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The idle timeout, seen from the browser: a minute before the server ends the session for
 * inactivity, a dialog offers to stay signed in (a request to /api/auth/session counts as
 * activity); at the timeout the page goes to the sign-in page. Every navigation restarts the clock.
 */
export function IdleWarning({ timeoutMinutes }: { timeoutMinutes: number }) {
  const pathname = usePathname();
  const router = useRouter();
  const lastActive = useRef(0);
  const [left, setLeft] = useState(timeoutMinutes * 60);
  const t = useTranslations('dashboard.idle');
  useEffect(() => {
    lastActive.current = Date.now();
  }, [pathname]);
  useEffect(() => {
    const tick = () => {
      const seconds = Math.ceil((lastActive.current + timeoutMinutes * 60_000 - Date.now()) / 1000);
      setLeft(seconds);
      if (seconds <= 0) router.replace('/login?ended=idle');
    };
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [timeoutMinutes, router]);
  const stay = useCallback(async () => {
    const res = await fetch('/api/auth/session', { cache: 'no-store' }).catch(() => null);
    const body = res?.ok ? await res.json().catch(() => null) : null;
    if (body?.user) {
      lastActive.current = Date.now();
      setLeft(timeoutMinutes * 60);
    } else {
      router.replace('/login?ended=idle');
    }
  }, [timeoutMinutes, router]);
  if (left > 60) return null;
  return (
    <div role="alertdialog" aria-modal="false" aria-labelledby="idle-title" aria-describedby="idle-text" className="fixed inset-x-0 bottom-4 z-50 mx-auto max-w-md rounded-lg border border-amber-400 bg-amber-50 p-4 shadow-lg">
      <h2 id="idle-title" className="font-semibold text-amber-950">
        {t('title')}
      </h2>
      <p id="idle-text" className="mt-1 text-sm text-amber-950">
        {t('text', { seconds: Math.max(0, left) })}
      </p>
      <button type="button" onClick={stay} className="mt-3 rounded bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800">
        {t('stay')}
      </button>
    </div>
  );
}
