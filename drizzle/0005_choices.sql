ALTER TABLE "question_requests" ADD COLUMN "options" jsonb;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "multi_select" boolean;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "allow_text" boolean;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "selected" jsonb;