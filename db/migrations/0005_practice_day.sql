CREATE TYPE "public"."proposal_status" AS ENUM('offered', 'accepted', 'released');--> statement-breakpoint
CREATE TABLE "note_drafts" (
	"reservation_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"base_version" integer DEFAULT 0 NOT NULL,
	"subjective" text DEFAULT '' NOT NULL,
	"objective" text DEFAULT '' NOT NULL,
	"assessment" text DEFAULT '' NOT NULL,
	"plan" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "note_drafts_reservation_id_author_id_pk" PRIMARY KEY("reservation_id","author_id")
);
--> statement-breakpoint
CREATE TABLE "request_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"profile_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" "proposal_status" DEFAULT 'offered' NOT NULL,
	"proposed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "request_proposals_interval" CHECK ("request_proposals"."ends_at" > "request_proposals"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "front_desk_decides" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "reservation_requests" ADD COLUMN "proposed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "note_drafts" ADD CONSTRAINT "note_drafts_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."reservations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "note_drafts" ADD CONSTRAINT "note_drafts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "note_drafts" ADD CONSTRAINT "note_drafts_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_proposals" ADD CONSTRAINT "request_proposals_request_id_reservation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."reservation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_proposals" ADD CONSTRAINT "request_proposals_profile_id_profiles_id_fk" FOREIGN KEY ("profile_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_proposals" ADD CONSTRAINT "request_proposals_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "request_proposals_request_start_idx" ON "request_proposals" USING btree ("request_id","starts_at");--> statement-breakpoint
CREATE INDEX "request_proposals_profile_idx" ON "request_proposals" USING btree ("profile_id","status");