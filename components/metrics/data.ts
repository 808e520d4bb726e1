import "server-only";
import { cache } from "react";
import { responseStats, statsByAgent } from "@/db/queries/metrics";

/*
 * One query per render even when two panels need its result: the headline shares
 * responseStats with the by-type panel, and takes the approval rate from the by-agent
 * query (its totals row), so the request tables are joined once.
 */
export const loadResponseStats = cache(responseStats);
export const loadAgentStats = cache(statsByAgent);
