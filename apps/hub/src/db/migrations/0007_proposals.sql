CREATE TABLE "proposals" (
	"request_id" text PRIMARY KEY NOT NULL,
	"digest" text NOT NULL,
	"app" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"proposed_by" text NOT NULL,
	"proposed_by_name" text,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"status" text NOT NULL,
	"revision" integer NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "proposals_created_idx" ON "proposals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "proposals_proposer_idx" ON "proposals" USING btree ("proposed_by","status");--> statement-breakpoint
CREATE INDEX "proposals_expiry_idx" ON "proposals" USING btree ("status","expires_at");