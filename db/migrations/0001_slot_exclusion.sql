-- What drizzle-kit cannot express: one practice's slots never overlap, enforced by the database.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "time_slots" ADD CONSTRAINT "time_slots_no_overlap"
  EXCLUDE USING gist ("profile_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&);
