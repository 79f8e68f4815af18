// Building a formatter costs far more than using one: a page of 500 requests formats thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', options);
    formatters.set(key, f);
  }
  return f;
}

/** Every user-visible time is shown in the practice's time zone, with the zone named. */
export function formatDateTime(instant: Date, timeZone: string, opts: Intl.DateTimeFormatOptions = {}): string {
  return formatter({ timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', ...opts }).format(instant);
}

export function formatTime(instant: Date, timeZone: string): string {
  return formatter({ timeZone, hour: '2-digit', minute: '2-digit' }).format(instant);
}

/** A price in minor units, with as many decimals as its currency has (EUR 2, JPY 0, KWD 3). */
export { formatMoney as formatPrice } from '@/lib/catalog/money';
