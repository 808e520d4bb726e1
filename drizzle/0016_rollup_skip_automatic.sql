-- Custom migration: the rollup trigger returns at once when the inserted metrics rows are
-- all automatic (a rule's decision, which the rollup does not hold): it no longer plans
-- and runs the rollup statement for them. A rule-decided tool call is the agent's most
-- frequent path (issue 16); its decision is one statement, and this was most of it.
CREATE OR REPLACE FUNCTION nexus_hitl_metrics_rollup_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM nexus_new_metrics WHERE NOT automatic) THEN
    RETURN NULL;
  END IF;
  EXECUTE nexus_hitl_metrics_rollup_sql('nexus_new_metrics');
  RETURN NULL;
END
$fn$;
