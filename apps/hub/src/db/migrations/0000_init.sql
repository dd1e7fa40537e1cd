CREATE TABLE "agents" (
	"name" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"labels" jsonb NOT NULL,
	"apps" jsonb NOT NULL,
	"evidence" jsonb NOT NULL,
	"presence" text NOT NULL,
	"first_seen" bigint NOT NULL,
	"last_seen" bigint NOT NULL,
	"agent_version" text NOT NULL,
	"hub_node" text,
	"app_versions" jsonb NOT NULL,
	"approved_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_hosts" (
	"request_id" text NOT NULL,
	"host" text NOT NULL,
	"app" text NOT NULL,
	"issued_at" bigint NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"exit_code" integer,
	"version_before" text,
	"version_after" text,
	"receipt" jsonb,
	"output" jsonb NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "deployment_hosts_request_id_host_pk" PRIMARY KEY("request_id","host")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"request_id" text PRIMARY KEY NOT NULL,
	"digest" text NOT NULL,
	"app" text NOT NULL,
	"version" text NOT NULL,
	"target" jsonb NOT NULL,
	"signers" jsonb NOT NULL,
	"signer_names" jsonb NOT NULL,
	"issued_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"submitted_at" bigint NOT NULL,
	"rollout_id" text,
	"envelope" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrollment_grants" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"grant" jsonb NOT NULL,
	"host" text,
	"expires_at" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"used_at" bigint,
	"used_by" text
);
--> statement-breakpoint
CREATE TABLE "hub_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_agents" (
	"key_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"public_key" text NOT NULL,
	"labels" jsonb NOT NULL,
	"apps" jsonb NOT NULL,
	"agent_version" text NOT NULL,
	"first_seen" bigint NOT NULL,
	"last_seen" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trust_documents" (
	"kind" text NOT NULL,
	"version" integer NOT NULL,
	"envelope" jsonb NOT NULL,
	"digest" text NOT NULL,
	"stored_at" bigint NOT NULL,
	CONSTRAINT "trust_documents_kind_version_pk" PRIMARY KEY("kind","version")
);
--> statement-breakpoint
CREATE INDEX "deployment_hosts_host_idx" ON "deployment_hosts" USING btree ("host","state");--> statement-breakpoint
CREATE INDEX "deployments_submitted_idx" ON "deployments" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "deployments_app_idx" ON "deployments" USING btree ("app","submitted_at");