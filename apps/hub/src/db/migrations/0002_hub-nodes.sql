CREATE TABLE "hub_nodes" (
	"node" text PRIMARY KEY NOT NULL,
	"started_at" bigint NOT NULL,
	"last_beat" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
