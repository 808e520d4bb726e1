import "server-only";
import { cache } from "react";
import { responseStats } from "@/db/queries/metrics";

/** One scan per render even though the headline and the by-type panel both need it. */
export const loadResponseStats = cache(responseStats);
