'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

/**
 * Time left until a deadline, ticking every second. Counts from the server's clock (a patient's
 * phone may be set wrong); at zero it reloads the page, which then shows the request expired.
 */
export function Countdown({ deadline, serverNow, passed = 'the deadline has passed' }: { deadline: string; serverNow: string; passed?: string }) {
  const router = useRouter();
  const end = Date.parse(deadline);
  const [now, setNow] = useState(() => Date.parse(serverNow));
  const refreshed = useRef(false);

  useEffect(() => {
    const skew = Date.parse(serverNow) - Date.now();
    const timer = setInterval(() => setNow(Date.now() + skew), 1000);
    return () => clearInterval(timer);
  }, [serverNow]);

  const left = Math.max(0, end - now);
  useEffect(() => {
    if (left === 0 && !refreshed.current) {
      refreshed.current = true;
      router.refresh();
    }
  }, [left, router]);

  return (
    <span role="timer" aria-atomic="true" className="font-semibold tabular-nums">
      {left === 0 ? passed : formatLeft(left)}
    </span>
  );
}

function formatLeft(ms: number): string {
  const totalSeconds = Math.ceil(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days) return `${days} d ${hours} h ${minutes} min`;
  if (hours) return `${hours} h ${minutes} min ${seconds} s`;
  if (minutes) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}
