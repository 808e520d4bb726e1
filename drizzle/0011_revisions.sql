ALTER TABLE "approval_requests" ADD COLUMN "inline_comments" jsonb;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "supersedes" uuid;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "revision" integer;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "superseded_by" uuid;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "inline_comments" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "idx_approval_requests_supersedes" ON "approval_requests" USING btree ("supersedes");