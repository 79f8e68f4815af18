import { requestLifecycle } from './functions/request-lifecycle';
import { sweepsCron } from './functions/sweeps';

/** Every workflow function served at /api/inngest. */
export const functions = [sweepsCron, requestLifecycle];
