/**
 * The demo practices, sign-ins and history as plain rows. lib/demo/seed.ts writes them (it hashes
 * the password, materializes the slots and places the history on real dates); db/ imports nothing
 * from lib/.
 */
export const DEMO_PASSWORD = 'demo-password-1';

export const demoUsers = [
  { key: 'doctor', email: 'doctor@demo.test', name: 'Dr. Ana García' },
  { key: 'admin', email: 'admin@demo.test', name: 'Marta López (admin)' },
  { key: 'doctor2', email: 'doctor2@demo.test', name: 'Dr. Luis Pérez' },
] as const;

export const demoPractices = [
  {
    profile: {
      slug: 'demo',
      displayName: 'Dr. Ana García',
      specialty: 'General practice',
      timeZone: 'Europe/Madrid',
      slotMinutes: 15,
      minNoticeMinutes: 120,
      approvalWindowMinutes: 24 * 60,
      horizonDays: 60,
      contactPhone: '+34910000000',
      contactEmail: 'consulta@demo.test',
      address: 'Calle Mayor 1, 28013 Madrid',
      // A practice in Madrid: its pages and messages are in Spanish unless the patient chooses otherwise (issue 17).
      defaultLocale: 'es',
    },
    members: [
      { user: 'doctor', roles: ['doctor'] },
      { user: 'admin', roles: ['admin'] },
    ],
    services: [
      { name: 'Quick consultation', description: 'A short visit: prescriptions, results, a single question.', durationMinutes: 15, priceAmount: 3000, currency: 'EUR' },
      { name: 'General consultation', description: 'A standard visit with examination.', durationMinutes: 30, priceAmount: 5000, currency: 'EUR' },
      { name: 'Full check-up', description: 'A complete check-up with history and examination.', durationMinutes: 60, priceAmount: 9000, currency: 'EUR' },
    ],
  },
  {
    profile: {
      slug: 'demo-2',
      displayName: 'Dr. Luis Pérez',
      specialty: 'Paediatrics',
      timeZone: 'Europe/Madrid',
      slotMinutes: 15,
      minNoticeMinutes: 120,
      approvalWindowMinutes: 24 * 60,
      horizonDays: 60,
      contactPhone: '+34930000000',
      address: 'Passeig de Gràcia 10, 08007 Barcelona',
    },
    members: [{ user: 'doctor2', roles: ['doctor'] }],
    services: [{ name: 'Paediatric visit', description: 'A visit for children up to 14.', durationMinutes: 30, priceAmount: 4500, currency: 'EUR' }],
  },
] as const;

/** Both demo practices open Monday to Friday, 09:00–13:00 and 15:00–18:00 local time. */
export const demoWeekdays = [1, 2, 3, 4, 5];
export const demoHours = [
  ['09:00', '13:00'],
  ['15:00', '18:00'],
] as const;

/**
 * The demo practice's history: `daysBefore` counts back from the last weekday before today.
 * Two confirmed appointments on that day and an older completed one with a note.
 */
export const demoHistory = [
  { name: 'María Sánchez', phone: '+34600111001', dob: '1978-04-12', daysBefore: 28, time: '10:00', reason: 'Annual check-up', status: 'completed' },
  { name: 'María Sánchez', phone: '+34600111001', dob: '1978-04-12', daysBefore: 0, time: '10:00', reason: 'Headaches for a week', status: 'confirmed' },
  { name: 'Jorge Martín', phone: '+34600111002', dob: '1990-11-30', daysBefore: 0, time: '10:30', reason: 'Sore throat and fever', status: 'confirmed' },
] as const;

export const demoHistoryNote = {
  subjective: 'No complaints. Routine annual check-up.',
  objective: 'BP 125/80, HR 72, BMI 24.1.',
  assessment: 'Healthy adult.',
  plan: 'Blood test next year.',
};
