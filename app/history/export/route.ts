import { exportColumns, exportHistory } from "@/db/queries/history";
import { can } from "@/lib/auth/principal";
import { currentPrincipal } from "@/server/auth/session";
import { JSON_ARRAY_CLOSE, JSON_ARRAY_OPEN, csvRow, jsonArrayChunk } from "@/lib/export/format";
import { parseHistoryParams, typesFor } from "@/lib/history/params";
import { log } from "@/lib/log";
import { REQUEST_DB_BUDGET_MS, withDbDeadline } from "@/db/deadline";
import { ApiError } from "@/server/api/errors";
import { route } from "@/server/api/route";
import { requestContext } from "@/server/request-context";

export const dynamic = "force-dynamic";

/**
 * GET /history/export?format=csv|json&type=approval|question&<history filters>
 * The whole filtered set of one table, newest first, streamed in batches.
 */
export const GET = route(async (request: Request) => {
  const principal = await currentPrincipal();
  if (!principal) throw new ApiError("unauthorized", "Sign in to export history.");
  const context = requestContext();
  if (context) context.principal = principal;
  if (!can(principal, "read")) throw new ApiError("forbidden", "Your role cannot read history.");

  const params = new URL(request.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (format !== "csv" && format !== "json") {
    throw new ApiError("invalid_request", 'format must be "csv" or "json".');
  }
  params.delete("cursor"); // an export is the whole filtered set, not one page
  const { query: filter, problems } = parseHistoryParams(params);
  if (problems.length) throw new ApiError("invalid_request", problems.join(" "));
  const types = typesFor(filter);
  if (types.length !== 1) {
    throw new ApiError(
      "invalid_request",
      "Approvals and questions have different columns: add type=approval or type=question.",
    );
  }
  const type = types[0]!;
  const encoder = new TextEncoder();
  const batches = exportHistory(type, filter, format);
  let written = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(
          format === "csv" ? csvRow(exportColumns(type).map((c) => c.name)) : JSON_ARRAY_OPEN,
        ),
      );
    },
    async pull(controller) {
      try {
        // each batch is its own short query with its own deadline: the export as a whole
        // may take as long as it needs
        const next = await withDbDeadline(REQUEST_DB_BUDGET_MS, () => batches.next());
        if (next.done) {
          if (format === "json") controller.enqueue(encoder.encode(JSON_ARRAY_CLOSE));
          controller.close();
          return;
        }
        const chunk =
          format === "csv"
            ? (next.value as (string | null)[][]).map(csvRow).join("")
            : jsonArrayChunk(next.value as string[], written);
        written += next.value.length;
        controller.enqueue(encoder.encode(chunk));
      } catch (err) {
        log().error({ err }, "history export failed mid-stream");
        controller.error(err);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  const name = `nexus-${type}s-${day}.${format}`;
  return new Response(stream, {
    headers: {
      "Content-Type":
        format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
});
