ALTER TABLE "profile_members" ALTER COLUMN "roles" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "profile_members" DROP COLUMN "role";--> statement-breakpoint
ALTER TABLE "profile_members" ADD CONSTRAINT "profile_members_has_role" CHECK (cardinality("profile_members"."roles") > 0);