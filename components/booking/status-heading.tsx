'use client';

import { useEffect, useRef } from 'react';

/**
 * The status line of a request. When the status changes while the page is open (the patient
 * cancelled, the deadline passed), focus moves here so the new state is read out.
 */
export function StatusHeading({ status, children, className }: { status: string; children: React.ReactNode; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const first = useRef(status);
  useEffect(() => {
    if (status !== first.current) {
      first.current = status;
      ref.current?.focus();
    }
  }, [status]);
  return (
    <h2 ref={ref} tabIndex={-1} className={className}>
      {children}
    </h2>
  );
}
