import type { ComponentType, ReactNode } from 'react';

/**
 * How a presentational list renders its links. Pages pass next/link's Link; anything rendered
 * outside Next (the dashboard benchmark) gets a plain anchor with the same href.
 */
export type LinkLike = ComponentType<{ href: string; className?: string; children: ReactNode }>;

export function PlainLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  return (
    <a href={href} className={className}>
      {children}
    </a>
  );
}
