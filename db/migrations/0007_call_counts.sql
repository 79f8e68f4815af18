-- Unlogged (edited by hand: drizzle-kit does not model it): counting an integration key's calls
-- writes no WAL and its commit waits for no flush. See callCounts in db/schema.ts.
CREATE UNLOGGED TABLE "call_counts" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "call_counts_key_window_start_pk" PRIMARY KEY("key","window_start")
);
