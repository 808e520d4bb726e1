CREATE TABLE "escalation_settings" (
	"scope" text PRIMARY KEY NOT NULL,
	"minutes" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp DEFAULT now() NOT NULL,
	"lease_until" timestamp,
	"last_attempt_at" timestamp,
	"last_status_code" integer,
	"last_latency_ms" integer,
	"last_error" text,
	"delivered_at" timestamp,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"give_up_at" timestamp NOT NULL,
	CONSTRAINT "outbox_deliveries_event_target_unique" UNIQUE("event_id","channel","target")
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"request_type" text NOT NULL,
	"request_id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"dispatched_at" timestamp,
	CONSTRAINT "outbox_events_request_type_unique" UNIQUE("request_type","request_id","type")
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"format" text NOT NULL,
	"events" text[] NOT NULL,
	"agent_id" text,
	"kind" text,
	"secret" text NOT NULL,
	"created_by" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"failing_since" timestamp,
	"disabled_at" timestamp,
	"disabled_reason" text
);
--> statement-breakpoint
ALTER TABLE "outbox_deliveries" ADD CONSTRAINT "outbox_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_outbox_deliveries_due" ON "outbox_deliveries" USING btree ("next_attempt_at") WHERE "outbox_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_outbox_deliveries_target" ON "outbox_deliveries" USING btree ("channel","target","created_at");--> statement-breakpoint
CREATE INDEX "idx_outbox_events_undispatched" ON "outbox_events" USING btree ("created_at") WHERE "outbox_events"."dispatched_at" IS NULL;