'use client';

import { useTranslations } from '@/lib/i18n/use-translations';
import { useSyncExternalStore } from 'react';

/**
 * The live time left before a deadline. One shared one-second clock drives every countdown on
 * the page. The first render (server and hydration) uses the server's time, so the markup
 * matches; after hydration the browser's clock takes over.
 */
export function TimeLeft({ deadline, serverNow, className = '' }: { deadline: string; serverNow: string; className?: string }) {
  const second = useSyncExternalStore(subscribe, currentSecond, () => null);
  const t = useTranslations('requests.timeLeft');
  const now = second === null ? Date.parse(serverNow) : second * 1000;
  const left = Date.parse(deadline) - now;
  const tone = left <= 0 ? 'text-slate-600' : left < 30 * 60_000 ? 'text-red-800' : left < 2 * 3_600_000 ? 'text-amber-900' : 'text-slate-900';
  return (
    <time dateTime={deadline} className={`font-semibold tabular-nums ${tone} ${className}`} data-testid="time-left">
      {left <= 0 ? t('passed') : t('left', { time: formatLeft(left) })}
    </time>
  );
}

/** "2 d 3 h", "3 h 12 min", "42 min", "9 min 05 s". */
export function formatLeft(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes >= 10) return `${minutes} min`;
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), 1000);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function currentSecond(): number {
  return Math.floor(Date.now() / 1000);
}
