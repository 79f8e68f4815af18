-- Message states become real states instead of `last_error` text prefixes: `sending` (with the
-- sender's lease in `lease_until`) replaces `pending` + 'in flight since …', and `skipped` (with a
-- reason code in `skip_reason`) replaces `failed` + 'skipped: …'. The enum is rebuilt rather than
-- extended (ALTER TYPE … ADD VALUE) because the migrator runs in one transaction, and a value
-- added in a transaction cannot be used in it.
ALTER TABLE "notifications" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "skip_reason" text;--> statement-breakpoint
ALTER TYPE "public"."notification_status" RENAME TO "notification_status_old";--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'skipped');--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "status" SET DATA TYPE "public"."notification_status" USING (
  CASE
    WHEN "status"::text = 'failed' AND "last_error" LIKE 'skipped: %' THEN 'skipped'
    WHEN "status"::text = 'pending' AND "last_error" LIKE 'in flight since %' THEN 'sending'
    ELSE "status"::text
  END
)::"public"."notification_status";--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "status" SET DEFAULT 'pending';--> statement-breakpoint
DROP TYPE "public"."notification_status_old";--> statement-breakpoint
UPDATE "notifications" SET
  "skip_reason" = CASE
    WHEN "last_error" IN ('skipped: the request was answered', 'skipped: the request is approved', 'skipped: the request is rejected') THEN 'request_answered'
    WHEN "last_error" IN ('skipped: the request expired', 'skipped: the request has expired', 'skipped: the request is expired') THEN 'request_expired'
    WHEN "last_error" IN ('skipped: the request was cancelled', 'skipped: the request is cancelled') THEN 'request_cancelled'
    WHEN "last_error" IN ('skipped: the appointment was cancelled', 'skipped: the appointment is cancelled') THEN 'appointment_cancelled'
    WHEN "last_error" = 'skipped: the appointment has already started' THEN 'appointment_started'
    WHEN "last_error" LIKE 'skipped: the appointment is %' THEN 'appointment_not_confirmed'
    ELSE 'request_not_pending'
  END,
  "last_error" = NULL
WHERE "status" = 'skipped';--> statement-breakpoint
UPDATE "notifications" SET "lease_until" = "next_attempt_at", "last_error" = NULL WHERE "status" = 'sending';
