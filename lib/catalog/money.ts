/**
 * Prices are stored as integer minor units of an ISO 4217 currency (4500 EUR = 45.00 €). How many
 * decimals a currency has comes from Intl (JPY 0, EUR 2, KWD 3), never an assumed 100.
 */

const supported = new Set(Intl.supportedValuesOf('currency'));

export function isSupportedCurrency(code: string): boolean {
  return supported.has(code);
}

/** Decimal places of a currency's minor unit (2 when Intl does not know it). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A decimal typed in major units ("45", "45.5", "45,50") as this currency's minor units. */
export const PRICE_PATTERN = /^(\d{1,9})(?:[.,](\d+))?$/;

/**
 * Exact string arithmetic (no floating point). Null when the text is not a price or has more
 * decimals than the currency has.
 */
export function toMinorUnits(price: string, currency: string): number | null {
  const m = PRICE_PATTERN.exec(price.trim());
  if (!m) return null;
  const digits = currencyDigits(currency);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units as the decimal a form shows ("45.00"). */
export function fromMinorUnits(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(amount);
  const s = String(amount).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Minor units formatted for people ("€45.00", "¥4,500"). */
export function formatMoney(amount: number, currency: string, locale = 'en-GB'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** currencyDigits(currency));
}
