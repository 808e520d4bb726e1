/*
 * Nexus agent client: what an agent author imports. Plain fetch, no server-only code,
 * runs on Node 18+, Deno, Bun and browsers.
 *
 *   const nexus = new NexusClient({ baseUrl: "http://localhost:3000", apiKey: process.env.NEXUS_API_KEY! });
 *   const result = await nexus.requestApproval({ file_path, diff, agent_id: "my-agent" });
 *   if (result.status === "approved") applyPatch();
 *
 * Submissions carry an agent-chosen UUID, so a retry after a lost response never
 * creates a second request. Network errors and 503s are retried with backoff.
 */
import type { Approval, ErrorBody, Question } from "../api/schemas";
import type { z } from "zod";
import type { DecisionInput as DecisionSchema } from "../api/schemas";

/** A decision body: approved, comment, inline `comments`, and per-hunk `hunks` and `edits`. */
export type DecisionInput = z.input<typeof DecisionSchema>;

export type { Approval, InlineComment, Question } from "../api/schemas";

export interface NexusClientOptions {
  baseUrl: string;
  apiKey: string;
  /** custom fetch (tests, proxies); defaults to globalThis.fetch */
  fetch?: typeof fetch;
  /** attempts for one call on network errors / 503 (default 5) */
  retries?: number;
  /** first backoff delay in ms, doubled each retry up to 10 s (default 250) */
  retryDelayMs?: number;
}

export interface ApprovalRequest {
  file_path: string;
  diff: string;
  description?: string;
  agent_id: string;
  timestamp?: string;
  expires_in_s?: number;
  /** your own UUID; one is generated when absent */
  id?: string;
  /**
   * A revision: the id of your earlier approval of this change (rejected, or still
   * pending: then it becomes superseded). The review page shows what changed since.
   */
  supersedes?: string;
}

/** A reviewer's decision (reviewer keys): to reject, a comment or inline comments. */
export interface QuestionRequest {
  question: string;
  context?: Record<string, unknown>;
  agent_id: string;
  timestamp?: string;
  expires_in_s?: number;
  id?: string;
  /** multiple choice: 2–20 distinct labels, shown to the reviewer as buttons */
  options?: string[];
  /** with options: more than one may be chosen (default false) */
  multi_select?: boolean;
  /** with options: the reviewer may type an answer instead (default true) */
  allow_text?: boolean;
}

/** An answer: typed text, chosen labels (a multiple-choice question), or both. */
export interface QuestionAnswer {
  response?: string;
  selected?: string[];
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** seconds per long poll, 1-60 (default 60) */
  pollSeconds?: number;
  /** called with the created (or already existing) request before waiting */
  onSubmitted?: (request: Approval | Question) => void;
}

export interface ListOptions {
  status?: string;
  agent_id?: string;
  limit?: number;
  cursor?: string;
}

/** An error answer of the API (docs/api.md "Errors"). */
export class NexusApiError extends Error {
  override name = "NexusApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
    /** on a 409 from a decision: the request as the winner decided it */
    readonly current?: NonNullable<ErrorBody["error"]["current"]>,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function uuid(): string {
  return globalThis.crypto.randomUUID();
}

export class NexusClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(options: NexusClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.retries = options.retries ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 250;
  }

  /** One API call with retries on network errors and 503 (safe: every call is idempotent). */
  async call<T>(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: T }> {
    let delay = this.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${this.apiKey}`,
            Accept: "application/json",
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
      } catch (err) {
        if (signal?.aborted || attempt >= this.retries) throw err;
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 10_000);
        continue;
      }
      if (res.status === 503 && attempt < this.retries) {
        await res.body?.cancel().catch(() => {});
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 10_000);
        continue;
      }
      const text = await res.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: reported below */
      }
      if (!res.ok) {
        const e = (parsed as ErrorBody | null)?.error;
        throw new NexusApiError(
          res.status,
          e?.code ?? "http_error",
          e?.message ?? `HTTP ${res.status}`,
          e?.details,
          e?.current,
        );
      }
      return { status: res.status, body: parsed as T };
    }
  }

  /* ---- lower level ---- */

  async createApproval(input: ApprovalRequest, signal?: AbortSignal): Promise<Approval> {
    return (await this.call<Approval>("POST", "/api/v1/approvals", input, signal)).body;
  }

  async getApproval(id: string, opts: { wait?: number; signal?: AbortSignal } = {}) {
    const q = opts.wait ? `?wait=${opts.wait}` : "";
    return (await this.call<Approval>("GET", `/api/v1/approvals/${id}${q}`, undefined, opts.signal))
      .body;
  }

  async listApprovals(opts: ListOptions = {}, signal?: AbortSignal) {
    return (
      await this.call<{ items: Approval[]; next_cursor: string | null }>(
        "GET",
        `/api/v1/approvals${queryString(opts)}`,
        undefined,
        signal,
      )
    ).body;
  }

  /**
   * Reviewer keys only. A lost race throws NexusApiError 409 with `current`. `comments`:
   * inline comments on lines of the diff; `hunks`: per-hunk decisions (unnamed hunks are
   * accepted); `edits`: new sides of accepted hunks.
   */
  async decideApproval(id: string, decision: DecisionInput) {
    return (await this.call<Approval>("POST", `/api/v1/approvals/${id}/decision`, decision)).body;
  }

  /** The chain of revisions `id` belongs to, first version first (without diffs). */
  async listRevisions(id: string, signal?: AbortSignal): Promise<Approval[]> {
    return (
      await this.call<{ items: Approval[] }>(
        "GET",
        `/api/v1/approvals/${id}/revisions`,
        undefined,
        signal,
      )
    ).body.items;
  }

  async createQuestion(input: QuestionRequest, signal?: AbortSignal): Promise<Question> {
    return (await this.call<Question>("POST", "/api/v1/questions", input, signal)).body;
  }

  async getQuestion(id: string, opts: { wait?: number; signal?: AbortSignal } = {}) {
    const q = opts.wait ? `?wait=${opts.wait}` : "";
    return (await this.call<Question>("GET", `/api/v1/questions/${id}${q}`, undefined, opts.signal))
      .body;
  }

  async listQuestions(opts: ListOptions = {}, signal?: AbortSignal) {
    return (
      await this.call<{ items: Question[]; next_cursor: string | null }>(
        "GET",
        `/api/v1/questions${queryString(opts)}`,
        undefined,
        signal,
      )
    ).body;
  }

  /** Reviewer keys only. A string is a typed answer; `{selected}` chooses options. */
  async answerQuestion(id: string, answer: string | QuestionAnswer) {
    const body = typeof answer === "string" ? { response: answer } : answer;
    return (await this.call<Question>("POST", `/api/v1/questions/${id}/response`, body)).body;
  }

  /**
   * Long-poll until the approval is approved, rejected, expired or superseded (by a
   * revision you sent: its id is `superseded_by`).
   */
  async waitForApproval(id: string, opts: WaitOptions = {}): Promise<Approval> {
    for (;;) {
      const a = await this.getApproval(id, { wait: pollSeconds(opts), signal: opts.signal });
      if (a.status !== "pending") return a;
    }
  }

  async waitForAnswer(id: string, opts: WaitOptions = {}): Promise<Question> {
    for (;;) {
      const q = await this.getQuestion(id, { wait: pollSeconds(opts), signal: opts.signal });
      if (q.status !== "pending") return q;
    }
  }

  /* ---- what most agents need ---- */

  /** Submit a diff and wait for the human: resolves approved, rejected or expired. */
  async requestApproval(input: ApprovalRequest, opts: WaitOptions = {}): Promise<Approval> {
    const created = await this.createApproval({ ...input, id: input.id ?? uuid() }, opts.signal);
    opts.onSubmitted?.(created);
    if (created.status !== "pending") return created;
    return this.waitForApproval(created.id, opts);
  }

  /**
   * Ask a question and wait: resolves answered (see `response`, and `selected` for the
   * options chosen) or expired.
   */
  async askQuestion(input: QuestionRequest, opts: WaitOptions = {}): Promise<Question> {
    const created = await this.createQuestion({ ...input, id: input.id ?? uuid() }, opts.signal);
    opts.onSubmitted?.(created);
    if (created.status !== "pending") return created;
    return this.waitForAnswer(created.id, opts);
  }
}

function pollSeconds(opts: WaitOptions) {
  return Math.min(60, Math.max(1, Math.floor(opts.pollSeconds ?? 60)));
}

function queryString(opts: ListOptions) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}
