-- Custom migration (drizzle-kit cannot express INCLUDE): each kind's pending index also
-- carries expires_at, so "pending now" (undecided and not expired: lib/domain/status.ts)
-- is counted by an index-only scan of the undecided rows (status page, Prometheus).
-- Same name, columns and predicate as before (db/schema.ts); only the INCLUDE is new.
DROP INDEX IF EXISTS "idx_approval_requests_pending";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_approval_requests_pending" ON "approval_requests" USING btree ("timestamp") INCLUDE ("expires_at") WHERE "approved" IS NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "idx_question_requests_pending";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_question_requests_pending" ON "question_requests" USING btree ("timestamp") INCLUDE ("expires_at") WHERE "response" IS NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "idx_tool_call_requests_pending";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_tool_call_requests_pending" ON "tool_call_requests" USING btree ("timestamp") INCLUDE ("expires_at") WHERE "approved" IS NULL;
