import { z } from 'zod';

// Every environment variable the app reads, validated once. The README's table mirrors this.
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().optional(),
  DATABASE_DRIVER: z.enum(['pglite', 'pg', 'neon']).optional(),
  PGLITE_DIR: z.string().default('.data/pglite'),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  AUTH_SECRET: z.string().min(16).optional(),
  APP_URL: z.string().url().optional(),
  INNGEST_APP_ID: z.string().min(1).default('doctor-appointments'),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_BASE_URL: z.string().optional(),
  LOCAL_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  DEMO_SEED: z.enum(['auto', 'off']).default('auto'),
  // Messages (lib/notifications). Without SMTP_URL, e-mails are printed to the server log.
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('Appointments <no-reply@localhost>'),
  // WhatsApp Cloud API: used only when both the token and the phone-number id are set.
  WHATSAPP_API_BASE_URL: z.string().url().default('https://graph.facebook.com/v23.0'),
  WHATSAPP_TOKEN: z.string().optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().optional(),
  WHATSAPP_TEMPLATE_LANGUAGE: z.string().min(2).default('en'),
  WHATSAPP_TEMPLATE_RECEIVED: z.string().min(1).default('appointment_request_received'),
  WHATSAPP_TEMPLATE_APPROVED: z.string().min(1).default('appointment_confirmed'),
  WHATSAPP_TEMPLATE_REJECTED: z.string().min(1).default('appointment_request_declined'),
  WHATSAPP_TEMPLATE_EXPIRED: z.string().min(1).default('appointment_request_expired'),
  WHATSAPP_TEMPLATE_CANCELLED: z.string().min(1).default('appointment_cancelled'),
  WHATSAPP_TEMPLATE_REMINDER: z.string().min(1).default('appointment_reminder'),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${JSON.stringify(z.flattenError(parsed.error).fieldErrors)}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** Which database driver DATABASE_URL (and DATABASE_DRIVER) select. */
export function databaseDriver(e: Env = env()): 'pglite' | 'pg' | 'neon' {
  if (e.DATABASE_DRIVER) return e.DATABASE_DRIVER;
  if (!e.DATABASE_URL) return 'pglite';
  if (/\.neon\.tech(:\d+)?\//.test(e.DATABASE_URL) || /@[^/]*neon/.test(e.DATABASE_URL)) return 'neon';
  return 'pg';
}

/** Whether a workflow engine (Inngest Cloud or a Dev Server) is configured to receive events. */
export function workflowEngineConfigured(e: Env = env()): boolean {
  return Boolean(e.INNGEST_EVENT_KEY || e.INNGEST_DEV || e.INNGEST_BASE_URL);
}
