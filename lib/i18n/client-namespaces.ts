/**
 * What the dashboard's client components read with useTranslations, and only that: every
 * message listed is sent with each dashboard page (app/dashboard/layout.tsx passes these to
 * ClientMessages). A new client component adds its namespace here. Also used by the dashboard
 * benchmark, which renders those components outside Next.
 */
export const DASHBOARD_CLIENT_MESSAGES = [
  'dashboard.layout',
  'dashboard.idle',
  'dashboard.sessions',
  'dashboard.disableTwoFactor',
  'appointments.actions',
  'appointments.notes',
  'appointments.book',
  'dashboard.services',
  'dashboard.members',
  'dashboard.integrations',
  'dashboard.availability',
  'settings.form',
  'settings.duration',
  'requests.timeLeft',
  'requests.board',
  'requests.propose',
  'requests.moves',
] as const;
