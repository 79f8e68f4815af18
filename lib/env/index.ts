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
  // `closed` turns the public sign-up page off (operators onboard with `npm run practice:create`).
  SIGNUP: z.enum(['open', 'closed']).default('open'),
  LOCAL_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  // Where the client address used for limits comes from (API.md): `peer` (the app is reached
  // directly: the socket's address), `vercel` (Vercel's own header), or N (behind N reverse proxies
  // that each append to X-Forwarded-For: the N-th address from the right).
  TRUSTED_PROXY: z
    .string()
    .default('peer')
    .refine((v) => v === 'peer' || v === 'vercel' || /^[1-9]$/.test(v), 'TRUSTED_PROXY is peer, vercel or a number of proxies 1–9')
    .transform((v) => (v === 'peer' || v === 'vercel' ? v : Number(v))),
  // Opt-in: `DEMO_SEED=1` seeds the demo practices into a newly created embedded database
  // (`npm run dev` sets it). Anything else, or unset, never seeds.
  DEMO_SEED: z
    .string()
    .optional()
    .transform((v) => ['1', 'true', 'yes', 'on'].includes((v ?? '').trim().toLowerCase())),
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
  // An authentication template whose one parameter is the one-time code.
  WHATSAPP_TEMPLATE_CODE: z.string().min(1).default('verification_code'),
  // "Lost your link?": one parameter, the single-use link to the patient's requests.
  WHATSAPP_TEMPLATE_PATIENT_LINK: z.string().min(1).default('appointments_link'),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** A setting that is missing or malformed: the message names the variable, never its value. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new EnvironmentError(`Invalid environment: ${JSON.stringify(z.flattenError(parsed.error).fieldErrors)}`);
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

const DEVELOPMENT_SECRET = 'dev-only-secret-not-for-production-use';

export const MISSING_AUTH_SECRET =
  'AUTH_SECRET is not set: the server does not start in production without it (set it to a random string of at least 16 characters, e.g. `openssl rand -base64 32`).';

/**
 * The one secret the app signs and encrypts with (sessions, idempotent request tokens, sealed
 * status links). Outside production a fixed development value stands in; in production there is
 * no fallback: a missing AUTH_SECRET throws (and `bootServer` refuses to start before that).
 */
export function secret(e: Env = env()): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === 'production') throw new EnvironmentError(MISSING_AUTH_SECRET);
  return DEVELOPMENT_SECRET;
}

/** The settings a production server cannot start without; throws one readable line. */
export function assertStartupEnv(e: Env = env()): void {
  if (e.NODE_ENV === 'production' && !e.AUTH_SECRET) throw new EnvironmentError(MISSING_AUTH_SECRET);
}

/** Whether the app's public address is https (cookies are then marked Secure in production). */
export function secureCookies(e: Env = env()): boolean {
  return e.NODE_ENV === 'production' && Boolean(e.APP_URL?.startsWith('https'));
}

/** Whether the /api/inngest endpoint has an engine to answer (Cloud signing key or a Dev Server). */
export function workflowEndpointConfigured(e: Env = env()): boolean {
  return Boolean(e.INNGEST_SIGNING_KEY || e.INNGEST_DEV || e.INNGEST_BASE_URL);
}
