ALTER TABLE "agents" ADD COLUMN "hello" jsonb;--> statement-breakpoint
ALTER TABLE "deployment_hosts" ADD COLUMN "receipt_seq" bigint;--> statement-breakpoint
ALTER TABLE "deployment_hosts" ADD COLUMN "receipt_prev" text;--> statement-breakpoint
CREATE INDEX "deployment_hosts_chain_idx" ON "deployment_hosts" USING btree ("host","receipt_seq");