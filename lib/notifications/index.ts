/**
 * Messages to patients and practices (issue 7): every message is a `notifications` row written in
 * the transaction of the change it reports (queue.ts), sent later by a workflow step or the sweep
 * (send.ts) by e-mail (SMTP) or WhatsApp (Cloud API templates), or printed to the server log
 * where the channel is not configured (transports.ts).
 */
export { queueCancelled, queueDecision, queueExpired, queueRequestCreated } from './queue';
export {
  MAX_ATTEMPTS,
  pendingReminders,
  sendDueNotifications,
  sendNotificationByKey,
  sendReminder,
  sendRequestNotifications,
  type SendOptions,
  type SendOutcome,
  type SweepResult,
} from './send';
export { listNotificationsForReservation, type NotificationView } from './list';
export { notificationConfig, setNotificationConfig, type NotificationConfig } from './config';
export { dedupeKey, type Channel, type NotificationKind } from './kinds';
