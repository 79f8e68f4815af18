/**
 * Messages to patients and practices (issue 7): every message is a `notifications` row written in
 * the transaction of the change it reports (queue.ts), sent later by a workflow step or the sweep
 * (send.ts) by e-mail (SMTP) or WhatsApp (Cloud API templates). A channel with no provider keeps
 * its messages in the outbox, or prints them to the server log in development (transports.ts).
 */
export { queueCancelled, queueDecision, queueExpired, queueRequestCreated, queueVerificationCode } from './queue';
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
export { listNotificationsForReservation, type ListNotificationsInput, type NotificationView } from './list';
export { mailDeliveryStatus, type MailDeliveryStatus } from './delivery';
export { notificationConfig, setNotificationConfig, type NotificationConfig } from './config';
export { dedupeKey, SKIP_REASONS, type Channel, type NotificationKind, type SkipReason } from './kinds';
