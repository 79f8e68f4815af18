CREATE TYPE "public"."request_move_status" AS ENUM('pending', 'applied', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "patient_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"profile_id" uuid NOT NULL,
	"channel" "notification_channel" NOT NULL,
	"contact" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"session_hash" text,
	"session_expires_at" timestamp with time zone,
	"locale" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patient_links_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "patient_links_session_hash_unique" UNIQUE("session_hash")
);
--> statement-breakpoint
CREATE TABLE "request_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"from_starts_at" timestamp with time zone NOT NULL,
	"from_ends_at" timestamp with time zone NOT NULL,
	"to_starts_at" timestamp with time zone NOT NULL,
	"to_ends_at" timestamp with time zone NOT NULL,
	"status" "request_move_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	CONSTRAINT "request_moves_interval" CHECK ("request_moves"."to_ends_at" > "request_moves"."to_starts_at" AND "request_moves"."from_ends_at" > "request_moves"."from_starts_at")
);
--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "country" text DEFAULT 'ES' NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "default_locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "cancellation_policy" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "move_cutoff_minutes" integer DEFAULT 1440 NOT NULL;--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "max_moves_per_request" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "reservation_requests" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "reservation_requests" ADD COLUMN "move_count" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "patient_links" ADD CONSTRAINT "patient_links_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_moves" ADD CONSTRAINT "request_moves_request_id_reservation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."reservation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_moves" ADD CONSTRAINT "request_moves_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_moves" ADD CONSTRAINT "request_moves_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_links_contact_idx" ON "patient_links" USING btree ("profile_id","contact","created_at");--> statement-breakpoint
CREATE INDEX "request_moves_request_idx" ON "request_moves" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "request_moves_profile_status_idx" ON "request_moves" USING btree ("profile_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "request_moves_one_pending_idx" ON "request_moves" USING btree ("request_id") WHERE "request_moves"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_country_format" CHECK ("profiles"."country" ~ '^[A-Z]{2}$');--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_default_locale_known" CHECK ("profiles"."default_locale" IN ('es', 'en'));--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_cancellation_policy_length" CHECK (char_length("profiles"."cancellation_policy") <= 2000);--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_move_cutoff_nonnegative" CHECK ("profiles"."move_cutoff_minutes" BETWEEN 0 AND 43200);--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_max_moves_range" CHECK ("profiles"."max_moves_per_request" BETWEEN 0 AND 10);--> statement-breakpoint
ALTER TABLE "reservation_requests" ADD CONSTRAINT "reservation_requests_locale_known" CHECK ("reservation_requests"."locale" IS NULL OR "reservation_requests"."locale" IN ('es', 'en'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_locale_known" CHECK ("users"."locale" IS NULL OR "users"."locale" IN ('es', 'en'));