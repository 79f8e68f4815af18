import { Inngest } from 'inngest';
import { env } from '@/lib/env';

// Keep the id stable: Inngest Cloud identifies the app by it (INNGEST_APP_ID, lib/env's default).
export const inngest = new Inngest({ id: env().INNGEST_APP_ID });
