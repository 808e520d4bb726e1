ALTER TABLE "approval_requests" ADD COLUMN "inline_comments" jsonb;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "supersedes" uuid;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "revision" integer;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "superseded_by" uuid;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "inline_comments" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "idx_approval_requests_supersedes" ON "approval_requests" USING btree ("supersedes");--> statement-breakpoint
-- Custom (drizzle-kit cannot express INCLUDE): "pending" now also means not superseded
-- (superseded_by IS NULL), so the approvals' pending index carries superseded_by beside
-- expires_at (0011_ops_status) and the pending count stays an index-only scan.
DROP INDEX IF EXISTS "idx_approval_requests_pending";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_approval_requests_pending" ON "approval_requests" USING btree ("timestamp") INCLUDE ("expires_at", "superseded_by") WHERE "approved" IS NULL;
