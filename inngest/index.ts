import { cancellationNotice } from './functions/cancellation-notice';
import { decisionNotice } from './functions/decision-notice';
import { reminders } from './functions/reminders';
import { requestLifecycle } from './functions/request-lifecycle';
import { requestNotices } from './functions/request-notices';
import { sweepsCron } from './functions/sweeps';

/** Every workflow function served at /api/inngest. */
export const functions = [sweepsCron, requestLifecycle, requestNotices, decisionNotice, reminders, cancellationNotice];
