CREATE TABLE "tool_call_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tool_name" text NOT NULL,
	"tool_input" jsonb NOT NULL,
	"title" text NOT NULL,
	"file_path" text,
	"diff" text,
	"diff_exact" boolean,
	"description" text,
	"session_id" text,
	"cwd" text,
	"hook_event" text,
	"tool_use_id" text,
	"agent_id" text NOT NULL,
	"timestamp" timestamp DEFAULT now(),
	"created_at" timestamp DEFAULT now(),
	"expires_at" timestamp,
	"approved" boolean,
	"approved_at" timestamp,
	"comment" text,
	"decided_by" text,
	"updated_input" jsonb,
	"on_timeout" text,
	"submitted_key_id" uuid
);
--> statement-breakpoint
CREATE INDEX "idx_tool_call_requests_agent_id" ON "tool_call_requests" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "idx_tool_call_requests_timestamp" ON "tool_call_requests" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "idx_tool_call_requests_pending" ON "tool_call_requests" USING btree ("timestamp") WHERE "tool_call_requests"."approved" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_tool_call_requests_approved_at" ON "tool_call_requests" USING btree ("approved_at");