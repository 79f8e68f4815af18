'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/** How often an open status page asks whether the practice has answered. */
const POLL_MS = 5_000;

/**
 * Keeps a request's status page current without a reload: while the request waits for an answer
 * it asks the public API (GET /api/v1/requests/{token}) every few seconds, and when the status or
 * the time changed it re-renders the page from the server (router.refresh), whose new state the
 * status heading then announces. Stops when the request is decided; pauses while the tab is
 * hidden. Without JavaScript the page is the same, as of its last load.
 */
export function StatusWatcher({ token, status, startsAt, active }: { token: string; status: string; startsAt: string; active: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = async () => {
      if (stopped) return;
      if (document.visibilityState === 'visible') {
        try {
          const res = await fetch(`/api/v1/requests/${encodeURIComponent(token)}`, { cache: 'no-store', headers: { accept: 'application/json' } });
          if (res.ok) {
            const now = (await res.json()) as { status?: string; startsAt?: string };
            if (!stopped && (now.status !== status || (now.startsAt && now.startsAt !== startsAt))) {
              stopped = true;
              router.refresh();
              return;
            }
          }
        } catch {
          // Offline for a moment: try again at the next tick.
        }
      }
      if (!stopped) timer = setTimeout(check, POLL_MS);
    };
    timer = setTimeout(check, POLL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && !stopped) {
        clearTimeout(timer);
        void check();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [token, status, startsAt, active, router]);
  return null;
}
