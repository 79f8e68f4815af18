import { runSweeps } from '@/lib/sweeps';
import { inngest } from '../client';

/** The same sweeps the local timer runs, on the engine's schedule. */
export const sweepsCron = inngest.createFunction(
  { id: 'sweeps', triggers: [{ cron: '*/5 * * * *' }], concurrency: { limit: 1 } },
  async ({ step }) => step.run('run-sweeps', () => runSweeps()),
);
