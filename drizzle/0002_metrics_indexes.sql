-- Custom migration (drizzle-kit cannot express INCLUDE): indexes for the metrics page.
-- Additions only; every seed query keeps its meaning. See README "Metrics".
--
-- Period scans of hitl_metrics read only this index (index-only scan): no heap visits
-- however the rows are laid out on disk.
CREATE INDEX IF NOT EXISTS "idx_hitl_metrics_created_at_covering" ON "hitl_metrics" USING btree ("created_at") INCLUDE ("request_type", "request_id", "response_time_ms", "user_id");--> statement-breakpoint
-- The ten slowest: walk response times from the top, filtering the period in the index.
CREATE INDEX IF NOT EXISTS "idx_hitl_metrics_response_time" ON "hitl_metrics" USING btree ("response_time_ms" DESC NULLS LAST) INCLUDE ("created_at", "request_type");--> statement-breakpoint
-- Agent and verdict of decided requests, for joining metrics rows to their request.
CREATE INDEX IF NOT EXISTS "idx_approval_requests_decided" ON "approval_requests" USING btree ("id") INCLUDE ("agent_id", "approved") WHERE "approved" IS NOT NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "idx_question_requests_answered" ON "question_requests" USING btree ("id") INCLUDE ("agent_id") WHERE "response" IS NOT NULL;
