import { Inngest } from 'inngest';

// Keep the id stable: Inngest Cloud identifies the app by it.
export const inngest = new Inngest({ id: process.env.INNGEST_APP_ID || 'doctor-appointments' });
