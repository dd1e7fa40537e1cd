ALTER TABLE "agents" ADD COLUMN "head" jsonb;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "head_seq" bigint;