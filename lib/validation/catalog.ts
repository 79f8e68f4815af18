import { z } from 'zod';
import { currencyDigits, isSupportedCurrency, PRICE_PATTERN, toMinorUnits } from '@/lib/catalog/money';
import { formInt, int, text } from './fields';

/**
 * The service catalog's fields. `serviceInputSchema` is what lib/catalog accepts (a price in
 * minor units); `serviceFormSchema` is what the dashboard form posts (a decimal price in major
 * units, numbers as strings). Whether the duration is a multiple of the practice's slot length
 * needs the practice, so lib/catalog checks it.
 */

export const MAX_PRICE_MINOR = 99_999_999;

const name = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, { message: 'Enter a name.', abort: true })
  .max(120, 'The name can be at most 120 characters.');

const description = text(2000, 'The description').default('');

const DURATION = 'The duration in minutes';

const currency = z
  .string({ error: 'Enter a currency code such as EUR.' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, { message: 'Use a 3-letter ISO 4217 code such as EUR.', abort: true })
  .refine(isSupportedCurrency, 'That is not an ISO 4217 currency code.');

export const serviceInputSchema = z.object({
  name,
  description,
  durationMinutes: int(5, 480, DURATION),
  priceAmount: z
    .number({ error: 'Enter a price.' })
    .int({ message: 'The price must be whole minor units (e.g. cents).', abort: true })
    .min(0, 'The price cannot be negative.')
    .max(MAX_PRICE_MINOR, 'The price is too high.'),
  currency,
});

/** What lib/catalog's create and update take. */
export type ServiceInput = z.input<typeof serviceInputSchema>;
export type ServiceData = z.output<typeof serviceInputSchema>;

export const serviceFormSchema = z
  .object({
    profileId: z.string().min(1),
    name,
    description,
    durationMinutes: formInt(5, 480, DURATION),
    price: z
      .string({ error: 'Enter a price such as 45.00.' })
      .trim()
      .min(1, { message: 'Enter a price such as 45.00.', abort: true })
      .regex(PRICE_PATTERN, { message: 'Enter a price of 0 or more, such as 45.00.', abort: true }),
    currency,
  })
  .superRefine((data, ctx) => {
    const amount = toMinorUnits(data.price, data.currency);
    if (amount === null) {
      const digits = currencyDigits(data.currency);
      ctx.addIssue({
        code: 'custom',
        path: ['price'],
        message: digits === 0 ? `${data.currency} prices have no decimals.` : `${data.currency} prices have at most ${digits} decimals.`,
      });
    } else if (amount > MAX_PRICE_MINOR) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'The price is too high.' });
    }
  });

export const serviceUpdateFormSchema = serviceFormSchema.safeExtend({ serviceId: z.string().min(1) });

/** The form's values as lib input (the form schema has already checked the price). */
export function serviceFromForm(data: z.output<typeof serviceFormSchema>): ServiceInput {
  return {
    name: data.name,
    description: data.description,
    durationMinutes: data.durationMinutes,
    priceAmount: toMinorUnits(data.price, data.currency) ?? -1,
    currency: data.currency,
  };
}

export const serviceToggleFormSchema = z.object({
  profileId: z.string().min(1),
  serviceId: z.string().min(1),
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});
