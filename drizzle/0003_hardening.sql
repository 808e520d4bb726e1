ALTER TABLE "api_keys" ADD COLUMN "agent_id" text;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "submitted_key_id" uuid;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "submitted_key_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "disabled_at" timestamp;