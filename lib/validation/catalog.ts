import { z } from 'zod';
import { currencyDigits, isSupportedCurrency, PRICE_PATTERN, toMinorUnits } from '@/lib/catalog/money';
import { errorText } from '@/lib/i18n/errors';
import { formCheckbox, formInt, text } from './fields';

/**
 * The service catalog's fields, as lib/catalog accepts them from the dashboard form (strings) or
 * from code and tests (numbers). The price comes either as `price`, a decimal in major units as
 * typed ("45.00"), or as `priceAmount` in minor units; either way it leaves as `priceAmount`.
 * Whether the duration is a multiple of the practice's slot length needs the practice, so
 * lib/catalog checks it.
 */

export const MAX_PRICE_MINOR = 99_999_999;

const currency = z
  .string({ error: errorText('catalog.enterCurrency') })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { message: errorText('catalog.currencyFormat'), abort: true })
  .refine(isSupportedCurrency, errorText('catalog.currencyUnknown'));

const ENTER_PRICE = errorText('catalog.enterPrice');

export const serviceInputSchema = z
  .object({
    name: text(120, 'The name', { min: 1, required: errorText('catalog.enterName') }),
    description: text(2000, 'The description', { multiline: true }).default(''),
    durationMinutes: formInt(5, 480, 'The duration in minutes'),
    price: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.string({ error: ENTER_PRICE }).trim().regex(PRICE_PATTERN, errorText('catalog.priceFormat')).optional(),
    ),
    priceAmount: z
      .number({ error: 'Enter a price.' })
      .int({ message: 'The price must be whole minor units (e.g. cents).', abort: true })
      .min(0, 'The price cannot be negative.')
      .max(MAX_PRICE_MINOR, errorText('catalog.priceTooHigh'))
      .optional(),
    currency,
  })
  .superRefine((data, ctx) => {
    if (data.priceAmount !== undefined) return;
    if (data.price === undefined) return ctx.addIssue({ code: 'custom', path: ['price'], message: ENTER_PRICE });
    // The price's own pattern and the currency are checked on their fields.
    if (!PRICE_PATTERN.test(data.price) || !isSupportedCurrency(data.currency)) return;
    const amount = toMinorUnits(data.price, data.currency);
    if (amount === null) {
      const digits = currencyDigits(data.currency);
      const message = digits === 0 ? errorText('catalog.noDecimals', { currency: data.currency }) : errorText('catalog.maxDecimals', { currency: data.currency, digits: String(digits) });
      ctx.addIssue({ code: 'custom', path: ['price'], message });
    } else if (amount > MAX_PRICE_MINOR) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: errorText('catalog.priceTooHigh') });
    }
  })
  .transform(({ price, priceAmount, ...rest }) => ({
    ...rest,
    priceAmount: priceAmount ?? toMinorUnits(price!, rest.currency)!,
  }));

export const serviceUpdateSchema = z.intersection(z.object({ serviceId: z.string({ error: 'Which service?' }) }), serviceInputSchema);

/** Deactivate or reactivate: `active` is a boolean, or the form's "true"/"false". */
export const serviceActiveSchema = z.object({
  serviceId: z.string({ error: 'Which service?' }),
  active: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], { error: 'Active or not?' }),
});

export const serviceListSchema = z.object({ includeInactive: formCheckbox }).default({ includeInactive: false });

/** What lib/catalog's create takes (update takes `serviceId` too). */
export type ServiceInput = z.input<typeof serviceInputSchema>;
export type ServiceData = z.output<typeof serviceInputSchema>;
