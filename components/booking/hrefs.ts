/** The booking page's steps live in its URL, so each is server-rendered, linkable and works without JS. */
export interface BookingSelection {
  service?: string;
  month?: string;
  day?: string;
  time?: string;
  /** A verification whose typed details the form puts back ("use another e-mail", start again). */
  from?: string;
}

export function bookingHref(slug: string, selection: BookingSelection = {}, hash?: 'service' | 'day' | 'times' | 'details'): string {
  const params = new URLSearchParams();
  for (const key of ['service', 'month', 'day', 'time', 'from'] as const) {
    const value = selection[key];
    if (value) params.set(key, value);
  }
  const query = params.toString();
  return `/book/${encodeURIComponent(slug)}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`;
}

/** Where a calendar's links go: the booking page by default; the move page (issue 15) passes its own. */
export type SelectionHref = (selection: BookingSelection, hash?: 'service' | 'day' | 'times' | 'details') => string;
