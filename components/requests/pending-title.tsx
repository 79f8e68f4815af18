'use client';

import { useEffect } from 'react';

/** Keeps the tab's title on the number of requests waiting, e.g. "(3) Requests · Consulta" (made by the page, in its language). */
export function PendingTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}
