'use client';

import { useEffect } from 'react';

/** Keeps the tab's title on the number of requests waiting, e.g. "(3) Requests · Consulta". */
export function PendingTitle({ count }: { count: number }) {
  useEffect(() => {
    document.title = `(${count}) Requests · Consulta`;
  }, [count]);
  return null;
}
