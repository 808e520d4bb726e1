/*
 * The API's limits, apart from the zod schemas that enforce them (lib/api/schemas.ts)
 * so that forms in the browser can show them without loading zod.
 */

/** Longest `expires_in_s`: 30 days. Longer waits are better modelled as a new request. */
export const MAX_EXPIRES_IN_S = 30 * 24 * 3600;
export const MAX_AGENT_ID = 200;
export const MAX_FILE_PATH = 4096;
/**
 * Longest `question`, `description`, `comment` and `response`, in characters (UTF-16
 * code units, as JavaScript and a textarea's maxlength count them): 64 K. A diff is
 * bounded only by the body limit (NEXUS_MAX_BODY_BYTES): real ones run to megabytes.
 */
export const MAX_TEXT = 65_536;
/** Largest `context`, as serialized JSON (UTF-8 bytes): 1 MiB. */
export const MAX_CONTEXT_BYTES = 1_048_576;
/** Nesting limit for `context` (PostgreSQL's JSONB parser has a stack-depth limit). */
export const MAX_CONTEXT_DEPTH = 64;
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 200;
export const MAX_WAIT_S = 60;
/** A multiple-choice question offers 2 to 20 options, each at most 200 characters. */
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
export const MAX_OPTION_LABEL = 200;

/** Per-hunk decisions or edits in one decision (a 20,000-line diff has far fewer hunks). */
export const MAX_HUNKS = 10_000;
/** One edited hunk's new side, in characters. */
export const MAX_HUNK_TEXT = 1_000_000;
