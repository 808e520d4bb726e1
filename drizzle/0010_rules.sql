CREATE TABLE "rules" (
	"name" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"rule" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_by" text,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "rule_name" text;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "routed_to" jsonb;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "on_expiry" text;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "escalate_after_s" integer;--> statement-breakpoint
ALTER TABLE "hitl_metrics" ADD COLUMN "automatic" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "rule_name" text;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "routed_to" jsonb;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "on_expiry" text;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "escalate_after_s" integer;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "permission_suggestions" jsonb;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "allow_session" boolean;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "rule_name" text;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "routed_to" jsonb;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "on_expiry" text;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "escalate_after_s" integer;