ALTER TABLE "approval_requests" ADD COLUMN "hunk_decisions" jsonb;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "applied_diff" text;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "edited" boolean;--> statement-breakpoint
ALTER TABLE "hitl_metrics" ADD COLUMN "hunks_accepted" integer;--> statement-breakpoint
ALTER TABLE "hitl_metrics" ADD COLUMN "hunks_total" integer;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "hunk_decisions" jsonb;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "applied_diff" text;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "edited" boolean;