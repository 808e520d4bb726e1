-- Custom migration (functions and a trigger): hitl_metrics_rollup kept as rows arrive.
--
-- nexus_metrics_bucket(ms): the log bucket of a response time, relative error 1%
-- (lib/metrics/sketch.ts): bucket b holds (g^(b-1), g^b] with g = 1.01/0.99 and stands
-- for 2 g^b / (g + 1); -1 holds 0 ms, -2 rows without a response time.
CREATE OR REPLACE FUNCTION nexus_metrics_bucket(ms integer) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN ms IS NULL THEN -2 WHEN ms <= 0 THEN -1
                    ELSE ceil(ln(ms::float8) / ln(1.01::float8 / 0.99::float8))::smallint END $$;--> statement-breakpoint
-- nexus_hitl_metrics_rollup_sql(source): the statement that adds the rows of `source` (a
-- relation shaped like hitl_metrics: the trigger's transition table, or hitl_metrics
-- itself for a rebuild) to the rollup: per day and all time, per type / agent /
-- reviewer, and all types together (request_type '*', dim type: the chart and the headline
-- read these without merging types); people's decisions only (rules' automatic ones are
-- counted apart, exactly, and never timed). One statement, rows locked in key order (no deadlock between two inserting
-- transactions), the shard of this connection (concurrent decisions on other
-- connections take other rows). The trigger function runs it itself: a transition
-- table is visible only there.
CREATE OR REPLACE FUNCTION nexus_hitl_metrics_rollup_sql(source text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN format($q$
    INSERT INTO hitl_metrics_rollup AS r
      (dim, day, request_type, key, bucket, shard, n, sum_ms, min_ms, max_ms, approvals, approved, questions)
    SELECT d.dim, s.day, d.request_type, d.key, nexus_metrics_bucket(m.response_time_ms),
           (pg_backend_pid() %% 16)::smallint,
           count(*), coalesce(sum(m.response_time_ms), 0), min(m.response_time_ms), max(m.response_time_ms),
           count(*) FILTER (WHERE m.is_approval), count(*) FILTER (WHERE m.is_approved),
           count(*) FILTER (WHERE m.is_question)
      FROM (SELECT n.request_type, n.response_time_ms, n.user_id, n.created_at,
                   coalesce(a.agent_id, q.agent_id, tc.agent_id) AS agent_id,
                   a.approved IS NOT NULL AS is_approval, coalesce(a.approved, false) AS is_approved,
                   q.id IS NOT NULL AS is_question
              FROM %s n
              LEFT JOIN approval_requests a
                ON n.request_type = 'approval' AND a.id = n.request_id AND a.approved IS NOT NULL
              LEFT JOIN question_requests q
                ON n.request_type = 'question' AND q.id = n.request_id AND q.response IS NOT NULL
              LEFT JOIN tool_call_requests tc
                ON n.request_type = 'tool_call' AND tc.id = n.request_id AND tc.approved IS NOT NULL
             WHERE NOT n.automatic) m
      CROSS JOIN LATERAL (VALUES (date_trunc('day', m.created_at)), ('-infinity'::timestamp)) s(day)
      CROSS JOIN LATERAL (VALUES ('type', m.request_type, ''::text), ('type', '*', ''),
                                 ('agent', m.request_type, m.agent_id),
                                 ('reviewer', m.request_type, m.user_id)) d(dim, request_type, key)
     WHERE s.day IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5
     ORDER BY 1, 3, 2, 5, 4
    ON CONFLICT ON CONSTRAINT hitl_metrics_rollup_key DO UPDATE SET
      n = r.n + excluded.n, sum_ms = r.sum_ms + excluded.sum_ms,
      min_ms = least(r.min_ms, excluded.min_ms), max_ms = greatest(r.max_ms, excluded.max_ms),
      approvals = r.approvals + excluded.approvals, approved = r.approved + excluded.approved,
      questions = r.questions + excluded.questions
  $q$, source);
END
$fn$;--> statement-breakpoint
-- A rebuild: the rows of hitl_metrics (nexus metrics rebuild empties the rollup first).
CREATE OR REPLACE FUNCTION nexus_hitl_metrics_rollup_add(source text) RETURNS void
  LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE nexus_hitl_metrics_rollup_sql(source);
END
$fn$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION nexus_hitl_metrics_rollup_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
BEGIN
  EXECUTE nexus_hitl_metrics_rollup_sql('nexus_new_metrics');
  RETURN NULL;
END
$fn$;--> statement-breakpoint
-- Every insert into hitl_metrics (the decision transaction, the original document's
-- example SQL, the benchmark generator's bulk inserts): one statement-level trigger.
DROP TRIGGER IF EXISTS hitl_metrics_rollup ON hitl_metrics;--> statement-breakpoint
CREATE TRIGGER hitl_metrics_rollup AFTER INSERT ON hitl_metrics
  REFERENCING NEW TABLE AS nexus_new_metrics
  FOR EACH STATEMENT EXECUTE FUNCTION nexus_hitl_metrics_rollup_trigger();--> statement-breakpoint
-- Emptying hitl_metrics empties its rollup. (Rows deleted or changed one by one are not
-- followed: `npm run nexus -- metrics rebuild` after such a clean-up.)
CREATE OR REPLACE FUNCTION nexus_hitl_metrics_rollup_truncate() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
BEGIN
  TRUNCATE hitl_metrics_rollup;
  RETURN NULL;
END
$fn$;--> statement-breakpoint
DROP TRIGGER IF EXISTS hitl_metrics_rollup_truncate ON hitl_metrics;--> statement-breakpoint
CREATE TRIGGER hitl_metrics_rollup_truncate AFTER TRUNCATE ON hitl_metrics
  FOR EACH STATEMENT EXECUTE FUNCTION nexus_hitl_metrics_rollup_truncate();--> statement-breakpoint
-- The rows already there (a million rows: about a minute; hash aggregation needs the memory).
SELECT set_config('work_mem', '256MB', true);--> statement-breakpoint
TRUNCATE hitl_metrics_rollup;--> statement-breakpoint
SELECT nexus_hitl_metrics_rollup_add('hitl_metrics');
