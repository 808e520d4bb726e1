CREATE TABLE "hitl_metrics_rollup" (
	"dim" text NOT NULL,
	"day" timestamp NOT NULL,
	"request_type" varchar(50) NOT NULL,
	"key" text,
	"bucket" smallint NOT NULL,
	"shard" smallint NOT NULL,
	"n" bigint NOT NULL,
	"sum_ms" bigint NOT NULL,
	"min_ms" integer,
	"max_ms" integer,
	"approvals" bigint NOT NULL,
	"approved" bigint NOT NULL,
	"questions" bigint NOT NULL,
	CONSTRAINT "hitl_metrics_rollup_key" UNIQUE NULLS NOT DISTINCT("dim","request_type","day","bucket","key","shard")
);
