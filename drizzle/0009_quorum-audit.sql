CREATE TABLE "audit_chain" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"entry_id" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"sealed_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "audit_chain_entry_id_unique" UNIQUE("entry_id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp (6) DEFAULT now() NOT NULL,
	"event" text NOT NULL,
	"actor" text,
	"subject_type" text,
	"subject_id" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "request_approvals" (
	"request_type" text NOT NULL,
	"request_id" uuid NOT NULL,
	"reviewer" text NOT NULL,
	"approved_at" timestamp DEFAULT now() NOT NULL,
	"comment" text,
	CONSTRAINT "request_approvals_request_type_request_id_reviewer_pk" PRIMARY KEY("request_type","request_id","reviewer")
);
--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "required_approvals" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "approval_requests" ADD COLUMN "approval_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "required_approvals" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "question_requests" ADD COLUMN "approval_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "required_approvals" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "tool_call_requests" ADD COLUMN "approval_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "idx_audit_log_subject" ON "audit_log" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "idx_audit_log_event" ON "audit_log" USING btree ("event","at");--> statement-breakpoint
CREATE FUNCTION "nexus_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "nexus_audit_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "nexus_audit_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_chain_append_only" BEFORE UPDATE OR DELETE ON "audit_chain" FOR EACH ROW EXECUTE FUNCTION "nexus_audit_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_chain_no_truncate" BEFORE TRUNCATE ON "audit_chain" FOR EACH STATEMENT EXECUTE FUNCTION "nexus_audit_append_only"();
