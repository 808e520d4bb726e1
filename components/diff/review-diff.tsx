import { cookies, headers } from "next/headers";
import { initialHighlights } from "@/lib/diff/highlight";
import { opensAsText } from "@/lib/diff/limits";
import { parseDiff } from "@/lib/diff/parse";
import { DiffView } from "./diff-view";
import { VIEW_COOKIE, type ViewMode } from "./use-view-mode";

/*
 * The review page's diff (a server component): highlights the lines the page opens with
 * (lib/diff/highlight.ts) and picks the layout to render first, so the HTML holds the
 * complete first view and the browser has no highlighting to do while it hydrates.
 */

/** The reviewer's stored layout (a cookie the toggle writes), else unified on phones. */
async function initialView(): Promise<ViewMode> {
  const stored = (await cookies()).get(VIEW_COOKIE)?.value;
  if (stored === "split" || stored === "unified") return stored;
  const h = await headers();
  const mobile =
    h.get("sec-ch-ua-mobile") === "?1" ||
    /Mobi|Android|iPhone|iPod/i.test(h.get("user-agent") ?? "");
  return mobile ? "unified" : "split";
}

export async function ReviewDiff({
  diff,
  fallbackPath,
  decideId,
  comments,
  anchorPrefix,
}: {
  diff: string;
  fallbackPath?: string;
  /** the pending request whose hunks the reader decides (diff-view.tsx) */
  decideId?: string;
  /** false: not the request's own diff, so no inline comments on it (diff-view.tsx) */
  comments?: boolean;
  /** before each file's anchor: a second diff on the page keeps its ids apart */
  anchorPrefix?: string;
}) {
  const parsed = parseDiff(diff, { fallbackPath });
  const highlights =
    parsed.ok && !opensAsText(parsed.lineCount, diff.length)
      ? await initialHighlights(parsed.files)
      : null;
  return (
    <DiffView
      diff={diff}
      fallbackPath={fallbackPath}
      highlights={highlights}
      initialView={await initialView()}
      decideId={decideId}
      comments={comments}
      anchorPrefix={anchorPrefix}
    />
  );
}
