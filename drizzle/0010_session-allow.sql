ALTER TABLE "tool_call_requests" ADD COLUMN "permission_suggestions" jsonb;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "allow_session" boolean;