ALTER TABLE "pending_agents" ADD COLUMN "source" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "pending_agents_source_idx" ON "pending_agents" USING btree ("source","last_seen");--> statement-breakpoint
CREATE INDEX "pending_agents_last_seen_idx" ON "pending_agents" USING btree ("last_seen");