"use client";

import { useEffect, useState } from "react";
import type { FileHighlight, Segment } from "@/lib/diff/highlight";
import type { DiffFile } from "@/lib/diff/parse";

/** Let the browser paint and handle input between batches of highlighting. */
const yieldToMain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
/** a batch of highlighting stays under a long task (50 ms), with room for rendering */
const BATCH_MS = 25;

/**
 * A file's segments for its first `limit` lines: the server's (`initial`) where they
 * reach, the rest computed here once `active` (the table is shown). The highlighter
 * and the file's grammar load on first need; hunks are highlighted in batches between
 * which the main thread is free. Until then, lines without segments show as plain text.
 */
export function useHighlight(
  file: DiffFile,
  limit: number,
  initial: FileHighlight | null,
  active: boolean,
): Segment[][][] | null {
  const [computed, setComputed] = useState<FileHighlight | null>(null);
  const best = computed && computed.lines >= (initial?.lines ?? 0) ? computed : initial;
  const covered = best?.lines ?? 0;
  const wanted = Math.min(limit, file.lineCount);

  useEffect(() => {
    if (!active || covered >= wanted) return;
    let cancelled = false;
    void (async () => {
      const { grammarFor, highlightHunks } = await import("@/lib/diff/highlight");
      const language = await grammarFor(file.path);
      // keep the hunks already done in full; redo a partly done one
      const hunks: Segment[][][] = [];
      let end = 0;
      for (const [h, hunk] of file.hunks.entries()) {
        end += hunk.lines.length;
        if (end > covered || !best?.hunks[h]) break;
        hunks.push(best.hunks[h]);
      }
      let started = performance.now();
      let shown = file.hunks.slice(0, hunks.length).reduce((n, hk) => n + hk.lines.length, 0);
      for (let h = hunks.length; h < file.hunks.length && shown < wanted; h++) {
        hunks.push(...highlightHunks(file, language, wanted, h, h + 1));
        shown += file.hunks[h]!.lines.length;
        if (performance.now() - started > BATCH_MS) {
          await yieldToMain();
          if (cancelled) return;
          started = performance.now();
        }
      }
      if (!cancelled) setComputed({ lines: wanted, hunks });
    })();
    return () => {
      cancelled = true;
    };
    // `best` is read only for hunks inside `covered`, which it determines
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, covered, wanted, file]);

  return best?.hunks ?? null;
}
