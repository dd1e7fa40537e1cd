CREATE TABLE "rollout_locks" (
	"app" text PRIMARY KEY NOT NULL,
	"rollout_id" text NOT NULL,
	"owner_key_id" text NOT NULL,
	"owner_name" text NOT NULL,
	"acquired_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" text PRIMARY KEY NOT NULL,
	"app" text NOT NULL,
	"version" text NOT NULL,
	"kind" text NOT NULL,
	"rollback_of" text,
	"rolled_back_by" text,
	"target" jsonb NOT NULL,
	"expect" text,
	"options" jsonb NOT NULL,
	"budget" integer NOT NULL,
	"total" integer NOT NULL,
	"lock_ttl_ms" bigint NOT NULL,
	"steps" jsonb NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"owner_key_id" text NOT NULL,
	"owner_name" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rollouts_app_idx" ON "rollouts" USING btree ("app","created_at");