"use client";

import { createContext, useCallback, useContext, useMemo, useState } from "react";
import type { CommentSide, InlineComment } from "@/lib/diff/comments";

/*
 * The inline comments of one review page: those a decision recorded (read-only) and,
 * while the request is pending and the reader may decide, the drafts a reviewer adds
 * on lines of the diff. The diff shows both inline; the decision form sends the drafts
 * with the decision (a hidden field), so a rejection can be "request changes".
 */

export interface ComposerAt {
  file: string;
  side: CommentSide;
  /** null: opened from the keyboard, the line is still to be typed */
  line: number | null;
  endLine: number | null;
}

interface CommentsValue {
  saved: readonly InlineComment[];
  /** null: this page takes no new comments (decided, or the reader cannot decide) */
  drafts: readonly InlineComment[] | null;
  composer: ComposerAt | null;
  add(comment: InlineComment): void;
  remove(index: number): void;
  /** a click on a line number: start a comment there; with Shift, extend the open one */
  openAt(file: string, side: CommentSide, line: number, extend: boolean): void;
  /** start a comment on `file` whose line is typed in (the keyboard's way) */
  openFree(file: string): void;
  close(): void;
}

const NONE: CommentsValue = {
  saved: [],
  drafts: null,
  composer: null,
  add: () => {},
  remove: () => {},
  openAt: () => {},
  openFree: () => {},
  close: () => {},
};

const Context = createContext<CommentsValue>(NONE);

export function CommentsProvider({
  saved,
  editable,
  children,
}: {
  saved: InlineComment[] | null;
  editable: boolean;
  children: React.ReactNode;
}) {
  const [drafts, setDrafts] = useState<InlineComment[]>([]);
  const [composer, setComposer] = useState<ComposerAt | null>(null);
  const openAt = useCallback(
    (file: string, side: CommentSide, line: number, extend: boolean) =>
      setComposer((open) => {
        if (extend && open && open.file === file && open.side === side && open.line !== null) {
          const lo = Math.min(open.line, line);
          const hi = Math.max(open.line, line);
          return { file, side, line: lo, endLine: hi === lo ? null : hi };
        }
        return { file, side, line, endLine: null };
      }),
    [],
  );
  const value = useMemo<CommentsValue>(
    () =>
      editable
        ? {
            saved: saved ?? [],
            drafts,
            composer,
            add: (c) => {
              setDrafts((d) => [...d, c]);
              setComposer(null);
            },
            remove: (i) => setDrafts((d) => d.filter((_, j) => j !== i)),
            openAt,
            openFree: (file) => setComposer({ file, side: "new", line: null, endLine: null }),
            close: () => setComposer(null),
          }
        : { ...NONE, saved: saved ?? [] },
    [editable, saved, drafts, composer, openAt],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export const useInlineComments = () => useContext(Context);
