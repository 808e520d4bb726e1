CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" text NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp,
	"refresh_token_expires_at" timestamp,
	"scope" text,
	"password" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"last_used_at" timestamp,
	"revoked_at" timestamp,
	CONSTRAINT "api_keys_name_unique" UNIQUE("name"),
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "approval_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"file_path" text NOT NULL,
	"diff" text NOT NULL,
	"description" text,
	"agent_id" text NOT NULL,
	"timestamp" timestamp DEFAULT now(),
	"approved" boolean,
	"approved_at" timestamp,
	"created_at" timestamp DEFAULT now(),
	"comment" text,
	"decided_by" text,
	"expires_at" timestamp
);
--> statement-breakpoint
CREATE TABLE "hitl_metrics" (
	"id" serial PRIMARY KEY NOT NULL,
	"request_type" varchar(50) NOT NULL,
	"request_id" uuid NOT NULL,
	"response_time_ms" integer,
	"user_id" text,
	"created_at" timestamp DEFAULT now(),
	CONSTRAINT "hitl_metrics_request_unique" UNIQUE("request_type","request_id")
);
--> statement-breakpoint
CREATE TABLE "question_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"question" text NOT NULL,
	"context" jsonb,
	"agent_id" text NOT NULL,
	"timestamp" timestamp DEFAULT now(),
	"response" text,
	"response_at" timestamp,
	"created_at" timestamp DEFAULT now(),
	"responded_by" text,
	"expires_at" timestamp
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"count" integer NOT NULL,
	"last_request" bigint NOT NULL,
	CONSTRAINT "rate_limits_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp NOT NULL,
	"token" text NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"user_id" text NOT NULL,
	CONSTRAINT "sessions_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"role" text DEFAULT 'viewer' NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verifications" (
	"id" text PRIMARY KEY NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_accounts_user_id" ON "accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_approval_requests_agent_id" ON "approval_requests" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "idx_approval_requests_timestamp" ON "approval_requests" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "idx_approval_requests_pending" ON "approval_requests" USING btree ("timestamp") WHERE "approval_requests"."approved" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_approval_requests_approved_at" ON "approval_requests" USING btree ("approved_at");--> statement-breakpoint
CREATE INDEX "idx_hitl_metrics_created_at" ON "hitl_metrics" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_question_requests_agent_id" ON "question_requests" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "idx_question_requests_timestamp" ON "question_requests" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "idx_question_requests_pending" ON "question_requests" USING btree ("timestamp") WHERE "question_requests"."response" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_question_requests_response_at" ON "question_requests" USING btree ("response_at");--> statement-breakpoint
CREATE INDEX "idx_sessions_user_id" ON "sessions" USING btree ("user_id");